package dev.continuity.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.continuity.conformance.SchemaValidator.Direction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The suite's validator refuses what the spec documents refuse, in both documents' conventions. */
class SchemaValidatorTest {

    private static final SpecDocument SWAGGER = SpecDocument.of("swagger.json", json("""
            {"swagger":"2.0","paths":{},"definitions":{
              "Pet":{"type":"object","discriminator":"type","required":["type"],
                     "properties":{"type":{"type":"string"},"id":{"type":"string","readOnly":true}}},
              "Cat":{"type":"object","allOf":[{"$ref":"#/definitions/Pet"}],"x-ms-discriminator-value":"cat",
                     "required":["meow","id"],"properties":{"meow":{"type":"string"}}},
              "Dog":{"type":"object","allOf":[{"$ref":"#/definitions/Pet"}],"x-ms-discriminator-value":"dog",
                     "properties":{"bark":{"type":"integer","x-nullable":true}}},
              "Closed":{"type":"object","additionalProperties":false,"allOf":[{"$ref":"#/definitions/Named"}],
                     "properties":{"size":{"type":"integer","minimum":1}}},
              "Named":{"type":"object","properties":{"name":{"type":"string","maxLength":3}}},
              "Colour":{"type":"string","enum":["red","green"],"x-ms-enum":{"modelAsString":false}},
              "Open":{"type":"string","enum":["red","green"],"x-ms-enum":{"modelAsString":true}},
              "OpenAI.Choice":{"type":"object","properties":{"type":{"type":"string"}},"required":["type"]},
              "OpenAI.Strict":{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}
            }}"""));
    private static final SpecDocument OPENAPI = SpecDocument.of("openapi.yaml", json("""
            {"openapi":"3.1.0","paths":{},"components":{"schemas":{
              "Choice":{"anyOf":[{"type":"string","enum":["auto","none"]},{"type":"object"}]},
              "Strict":{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]},
              "Shape":{"oneOf":[{"$ref":"#/components/schemas/Square"},{"$ref":"#/components/schemas/Circle"}],
                       "discriminator":{"propertyName":"kind","mapping":{"sq":"#/components/schemas/Square"}}},
              "Square":{"type":"object","properties":{"kind":{"type":"string","enum":["sq"]},"side":{"type":"number"}},
                        "required":["kind","side"]},
              "Circle":{"type":"object","properties":{"kind":{"type":"string","const":"circle"},"r":{"type":["number","null"]}},
                        "required":["kind","r"]},
              "Loose":{"oneOf":[{"type":"object","properties":{"a":{"type":"string"}}},
                                {"type":"object","properties":{"b":{"type":"string"}}}]}
            }}}"""));

    private final SchemaValidator openai = new SchemaValidator(OPENAPI, null);
    private final SchemaValidator foundry = new SchemaValidator(SWAGGER, openai);

    @Test
    void swaggerDiscriminatorDispatchesToTheSubtypeNamedByXMsDiscriminatorValue() {
        assertThat(foundry("Pet", "{\"type\":\"cat\",\"meow\":\"x\",\"id\":\"1\"}", Direction.RESPONSE)).isEmpty();
        assertThat(foundry("Pet", "{\"type\":\"cat\",\"id\":\"1\"}", Direction.RESPONSE))
                .containsExactly("$: required property 'meow' is missing");
        assertThat(foundry("Pet", "{\"type\":\"bird\"}", Direction.RESPONSE))
                .containsExactly("$: type 'bird' names no subtype of Pet (defined: cat, dog)");
        assertThat(foundry("Pet", "{\"type\":\"dog\",\"bark\":\"loud\"}", Direction.RESPONSE))
                .containsExactly("$.bark: expected \"integer\", got string \"loud\"");
    }

    @Test
    void readOnlyIsNeverRequiredInARequestAndRefusedWhenSent() {
        assertThat(foundry("Pet", "{\"type\":\"cat\",\"meow\":\"x\"}", Direction.REQUEST)).isEmpty();
        assertThat(foundry("Pet", "{\"type\":\"cat\",\"meow\":\"x\"}", Direction.RESPONSE))
                .containsExactly("$: required property 'id' is missing");
        assertThat(foundry("Pet", "{\"type\":\"cat\",\"meow\":\"x\",\"id\":\"1\"}", Direction.REQUEST))
                .containsExactly("$.id: read-only property sent in a request");
    }

    @Test
    void nullIsAllowedOnlyWhereTheSchemaSaysSo() {
        assertThat(foundry("Pet", "{\"type\":\"dog\",\"bark\":null}", Direction.RESPONSE)).isEmpty();
        assertThat(foundry("Pet", "{\"type\":null}", Direction.RESPONSE)).isNotEmpty();
        assertThat(openai("Circle", "{\"kind\":\"circle\",\"r\":null}")).isEmpty();
        assertThat(openai("Square", "{\"kind\":\"sq\",\"side\":null}")).containsExactly("$.side: expected \"number\", got null");
    }

    @Test
    void additionalPropertiesFalseKnowsTheAllOfPartsAndChecksBounds() {
        assertThat(foundry("Closed", "{\"name\":\"abc\",\"size\":2}", Direction.REQUEST)).isEmpty();
        assertThat(foundry("Closed", "{\"name\":\"abcd\",\"size\":0,\"extra\":1}", Direction.REQUEST)).containsExactlyInAnyOrder(
                "$.extra: property not allowed (additionalProperties: false)", "$.size: 0.0 is below the minimum 1",
                "$.name: longer than 3 characters");
    }

    @Test
    void closedEnumsRefuseOtherValuesAndOpenOnesDoNot() {
        assertThat(foundry("Colour", "\"blue\"", Direction.REQUEST)).containsExactly("$: value \"blue\" is not one of [\"red\",\"green\"]");
        assertThat(foundry("Open", "\"blue\"", Direction.REQUEST)).isEmpty();
    }

    @Test
    void openApiDiscriminatorUsesTheMappingOrTheVariantThatPinsTheValue() {
        assertThat(openai("Shape", "{\"kind\":\"sq\",\"side\":2}")).isEmpty();
        assertThat(openai("Shape", "{\"kind\":\"sq\"}")).containsExactly("$: required property 'side' is missing");
        assertThat(openai("Shape", "{\"kind\":\"circle\",\"r\":1}")).isEmpty();
        assertThat(openai("Shape", "{\"kind\":\"hexagon\"}")).containsExactly("$: kind 'hexagon' is none of the union's variants");
    }

    @Test
    void oneOfIsCheckedAsAtLeastOne() {
        assertThat(openai("Loose", "{\"a\":\"x\",\"b\":\"y\"}")).isEmpty();
        assertThat(openai("Loose", "{\"a\":1,\"b\":2}")).hasSize(1);
    }

    @Test
    void aFoundryOpenAiDefinitionFallsBackToTheOpenAiSchemaOfTheSameName() {
        // Swagger 2.0 cannot say "a string or an object": OpenAI's own schema accepts "auto"
        assertThat(foundry("OpenAI.Choice", "\"auto\"", Direction.RESPONSE)).isEmpty();
        assertThat(foundry("OpenAI.Choice", "\"sometimes\"", Direction.RESPONSE))
                .containsExactly("$: expected \"object\", got string \"sometimes\"");
        assertThat(foundry("OpenAI.Strict", "{}", Direction.RESPONSE)).containsExactly("$: required property 'n' is missing");
    }

    private List<String> foundry(String definition, String value, Direction direction) {
        return foundry.validate(json(value), json("{\"$ref\":\"#/definitions/" + definition + "\"}"), direction);
    }

    private List<String> openai(String schema, String value) {
        return openai.validate(json(value), json("{\"$ref\":\"#/components/schemas/" + schema + "\"}"), Direction.RESPONSE);
    }

    private static JsonNode json(String text) {
        try {
            return Conformance.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
