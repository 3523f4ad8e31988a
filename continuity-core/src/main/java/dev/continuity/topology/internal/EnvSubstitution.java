package dev.continuity.topology.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.continuity.definition.internal.Pointers;
import dev.continuity.definition.internal.Problems;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code ${NAME}} and {@code ${NAME:-default}} in string values, with shell semantics: {@code :-}
 * uses the default when the variable is unset or empty; {@code ${NAME}} of an unset variable is an
 * error; <code>$${</code> writes a literal <code>${</code>. Keys are never substituted. Not part of the
 * public API.
 */
public final class EnvSubstitution {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Function<String, String> environment;
    private final Problems problems;

    /**
     * @param environment variable lookup (null for unset)
     * @param problems where unset variables and malformed references are reported
     */
    public EnvSubstitution(Function<String, String> environment, Problems problems) {
        this.environment = environment;
        this.problems = problems;
    }

    /** Substitutes every string value under {@code node} in place. */
    public void apply(JsonNode node, String pointer) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                String at = Pointers.child(pointer, e.getKey());
                if (e.getValue().isTextual()) {
                    e.setValue(TextNode.valueOf(substitute(e.getValue().textValue(), at)));
                } else {
                    apply(e.getValue(), at);
                }
            }
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                String at = Pointers.index(pointer, i);
                if (array.get(i).isTextual()) {
                    array.set(i, TextNode.valueOf(substitute(array.get(i).textValue(), at)));
                } else {
                    apply(array.get(i), at);
                }
            }
        }
    }

    /** One string; unresolvable references are reported and replaced by nothing. */
    public String substitute(String value, String pointer) {
        if (!value.contains("${")) {
            return value;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            if (value.startsWith("$${", i)) {
                out.append("${");
                i += 3;
                continue;
            }
            if (!value.startsWith("${", i)) {
                out.append(value.charAt(i++));
                continue;
            }
            int close = value.indexOf('}', i + 2);
            if (close < 0) {
                problems.addRootCause(pointer, "unterminated '${' in \"" + value + "\" (write '$${' for a literal '${')");
                return out.toString();
            }
            String inner = value.substring(i + 2, close);
            int sep = inner.indexOf(":-");
            String name = sep < 0 ? inner : inner.substring(0, sep);
            String fallback = sep < 0 ? null : inner.substring(sep + 2);
            if (!NAME.matcher(name).matches()) {
                problems.addRootCause(pointer, "'${" + inner + "}' is not a valid reference: use ${NAME} or ${NAME:-default},"
                        + " NAME being letters, digits and '_'");
            } else {
                String v = environment.apply(name);
                if (fallback != null && (v == null || v.isEmpty())) {
                    out.append(fallback);
                } else if (v == null) {
                    problems.addRootCause(pointer, "environment variable " + name + " is not set (referenced as ${" + name
                            + "}; set it or give a default: ${" + name + ":-value})");
                } else {
                    out.append(v);
                }
            }
            i = close + 1;
        }
        return out.toString();
    }
}
