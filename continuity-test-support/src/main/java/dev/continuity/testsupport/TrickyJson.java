package dev.continuity.testsupport;

import java.util.List;

/**
 * JSON that parsers like to change: numbers a {@code double} cannot hold as written, and nested fields
 * Continuity does not know (objects, arrays, nulls, unicode escapes). Tests send it through a path and
 * check that it comes out exactly as it went in.
 */
public final class TrickyJson {

    /** Numbers as written; each changes when parsed into a {@code double} (or an {@code int}) and written back. */
    public static final List<String> NUMBERS = List.of("1.50", "1e400", "0.10000000000000000000001", "-0", "-0.0",
            "12345678901234567890123", "1.0E+2", "-1e-400");

    /** Function call arguments (a JSON string inside the item) holding the tricky numbers. */
    public static final String ARGUMENTS = "{\"amount\":1.50,\"limit\":1e400,\"rate\":0.10000000000000000000001,"
            + "\"offset\":-0,\"id\":12345678901234567890123}";

    /**
     * An item of a type Continuity does not model, as a client might write it: white space, keys in no
     * order, unicode escapes, the tricky numbers nested in objects and arrays, nulls.
     */
    public static final String ITEM_AS_WRITTEN = "{ \"type\": \"computer_call_output\", \"call_id\": \"call_n1\",\n"
            + "  \"zeta\": { \"price\": 1.50, \"huge\": 1e400, \"tiny\": 0.10000000000000000000001, \"neg_zero\": -0,"
            + " \"neg_zero_f\": -0.0,\n    \"big\": 12345678901234567890123, \"exp\": 1.0E+2,"
            + " \"list\": [1.50, null, {\"n\": -1e-400}], \"nothing\": null,\n"
            + "    \"text\": \"caf\\u00e9 \\ud83d\\ude00 \\u2028\" },\n  \"alpha\": [] }";

    /**
     * {@link #ITEM_AS_WRITTEN} in the journal's canonical form: keys sorted, no white space, strings by
     * value (escapes decoded), <b>numbers exactly as written</b>.
     */
    public static final String ITEM_CANONICAL = "{\"alpha\":[],\"call_id\":\"call_n1\",\"type\":\"computer_call_output\","
            + "\"zeta\":{\"big\":12345678901234567890123,\"exp\":1.0E+2,\"huge\":1e400,\"list\":[1.50,null,{\"n\":-1e-400}],"
            + "\"neg_zero\":-0,\"neg_zero_f\":-0.0,\"nothing\":null,\"price\":1.50,"
            + "\"text\":\"caf\u00e9 \ud83d\ude00 \u2028\",\"tiny\":0.10000000000000000000001}}";

    private TrickyJson() {
    }
}
