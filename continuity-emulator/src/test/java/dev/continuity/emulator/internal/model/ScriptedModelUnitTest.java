package dev.continuity.emulator.internal.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The scripted model as a plain class: trigger choice, each command, extensibility. */
class ScriptedModelUnitTest {

    private record Item(Type type, String role, String text, String callId, String name) implements ModelItem {
        static Item user(String text) {
            return new Item(Type.MESSAGE, "user", text, null, null);
        }

        static Item assistant(String text) {
            return new Item(Type.MESSAGE, "assistant", text, null, null);
        }
    }

    private final ScriptedModel model = ScriptedModel.standard();

    private static ModelTurn turn(List<? extends ModelItem> items, int inputCount) {
        return new ModelTurn("westus", "a", "3", "gpt-4o-mini", Set.of("f"), "conv_1", items, inputCount);
    }

    private String text(ModelReply reply) {
        return ((ModelOutput.Message) reply.outputs().get(0)).text();
    }

    @Test
    void actsOnTheLastInputItemOrElseTheLastUserMessage() {
        List<Item> items = List.of(Item.user("first"), Item.assistant("reply"), Item.user("second"), Item.assistant("again"));
        assertThat(text(model.answer(turn(items, 0)))).isEqualTo("[a@3 in westus] You said: second");
        assertThat(text(model.answer(turn(items, 1)))).isEqualTo("[a@3 in westus] You said: again");
        assertThat(text(model.answer(turn(List.of(), 0)))).isEqualTo("[a@3 in westus] You said: ");
    }

    @Test
    void recallFindsTheLatestEarlierRememberOnly() {
        List<Item> items = new ArrayList<>(List.of(Item.user("remember k=1"), Item.user("remember k=2"),
                Item.user("recall k"), Item.user("remember k=3")));
        // acting on "recall k" (index 2) must not see the later remember
        assertThat(model.answer(turn(items.subList(0, 3), 1)).outputs())
                .containsExactly(new ModelOutput.Message("k is 2."));
        items.add(Item.user("RECALL k"));
        assertThat(text(model.answer(turn(items, 1)))).isEqualTo("k is 3.");
    }

    @Test
    void rememberKeepsMultiWordKeysAndValues() {
        List<Item> items = List.of(Item.user("remember favourite city = New York"), Item.user("recall favourite city"));
        assertThat(text(model.answer(turn(items.subList(0, 1), 1)))).isEqualTo("OK, I will remember favourite city.");
        assertThat(text(model.answer(turn(items, 1)))).isEqualTo("favourite city is New York.");
    }

    @Test
    void callNeedsTheToolAndProducesADeterministicCall() {
        ModelReply reply = model.answer(turn(List.of(Item.user("call f {\"a\": [1, 2]}")), 1));
        assertThat(reply.outputs()).containsExactly(new ModelOutput.FunctionCall(
                CallCommand.callId("conv_1", 1), "f", "{\"a\": [1, 2]}"));
        assertThat(reply.outputChars()).isEqualTo(1 + "{\"a\": [1, 2]}".length());
        assertThatThrownBy(() -> model.answer(turn(List.of(Item.user("call g {}")), 1)))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("Agent a version 3 has no function tool 'g'");
    }

    @Test
    void functionOutputNamesTheFunctionOfItsCall() {
        List<Item> items = List.of(Item.user("call f"),
                new Item(ModelItem.Type.FUNCTION_CALL, null, "{}", "call_9", "f"),
                new Item(ModelItem.Type.FUNCTION_CALL_OUTPUT, null, "42", "call_9", null));
        assertThat(text(model.answer(turn(items, 1)))).isEqualTo("f returned: 42");
    }

    @Test
    void plainModelSpeakerIsTheModel() {
        ModelTurn plain = new ModelTurn("westus", null, null, "gpt-4o-mini", Set.of(), null, List.of(Item.user("hi")), 1);
        assertThat(text(model.answer(plain))).isEqualTo("[gpt-4o-mini in westus] You said: hi");
    }

    @Test
    void commandsCanBeAdded() {
        ScriptCommand search = (turn, trigger) -> trigger >= 0 && turn.items().get(trigger).text().startsWith("search ")
                ? Optional.of(ModelReply.message("found: " + turn.items().get(trigger).text().substring(7)))
                : Optional.empty();
        ScriptedModel extended = new ScriptedModel(List.of(search, new EchoCommand()));
        assertThat(text(extended.answer(turn(List.of(Item.user("search cats")), 1)))).isEqualTo("found: cats");
        assertThat(text(extended.answer(turn(List.of(Item.user("other")), 1)))).startsWith("[a@3 in westus]");
    }

    @Test
    void tokensAreCharactersOverFourRoundedUpAtLeastOne() {
        assertThat(TokenCount.of(0)).isEqualTo(1);
        assertThat(TokenCount.of(1)).isEqualTo(1);
        assertThat(TokenCount.of(4)).isEqualTo(1);
        assertThat(TokenCount.of(5)).isEqualTo(2);
        assertThat(TokenCount.of(400)).isEqualTo(100);
    }
}
