package dev.continuity.definition.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.continuity.Secrets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Finds secrets in a topology or an agent definition with the one rule of {@link Secrets}: fields named
 * like a credential at any depth (in objects nested in arrays too), and values that carry one (connection
 * strings with a key, credentials or secret query parameters in a URL). Reasons never quote the value.
 * Not part of the public API.
 */
public final class SecretScan {

    private final Problems problems;
    private final String holder;

    /** Reports to {@code problems}, for a topology file. */
    public SecretScan(Problems problems) {
        this(problems, "topology files");
    }

    /**
     * Reports to {@code problems}.
     *
     * @param holder what holds no secrets, for the message ({@code "topology files"}, {@code "agent definitions"})
     */
    public SecretScan(Problems problems, String holder) {
        this.problems = problems;
        this.holder = holder;
    }

    /** True when a field of this name would hold a credential ({@link Secrets#isSecretName}). */
    public static boolean isSecretFieldName(String field) {
        return Secrets.isSecretName(field);
    }

    /**
     * True when an HTTP header of this name carries a credential: every secret name, and any name containing
     * {@code key}, {@code token}, {@code secret} or {@code password} ({@code X-Api-Key}, {@code X-Auth-Token}).
     */
    public static boolean isSecretHeaderName(String header) {
        String h = header.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        return Secrets.isSecretName(header) || h.contains("key") || h.contains("token") || h.contains("secret")
                || h.contains("password") || h.contains("auth");
    }

    /** Checks the field names of a record-like object (not a map of logical names) and its values. */
    public void fields(JsonNode object, String pointer) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = Pointers.child(pointer, e.getKey());
            if (isSecretFieldName(e.getKey())) {
                problems.addRootCause(at, "field '" + e.getKey() + "' would hold a secret; " + holder + " hold no"
                        + " secrets: authenticate with Entra ID (DefaultAzureCredential) and keep keys in the project's"
                        + " connections or Key Vault");
            } else if (e.getValue().isObject()) {
                fields(e.getValue(), at);
            } else {
                values(e.getValue(), at);
            }
        }
    }

    /**
     * Checks string values under {@code node} (array elements, map values) for credentials, and the field
     * names of every object inside an array.
     */
    public void values(JsonNode node, String pointer) {
        if (node.isTextual()) {
            Secrets.problemIn(node.textValue()).ifPresent(reason -> problems.addRootCause(pointer, reason + "; "
                    + holder + " hold no secrets"));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode element = node.get(i);
                if (element.isObject()) {
                    fields(element, Pointers.index(pointer, i));
                } else {
                    values(element, Pointers.index(pointer, i));
                }
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                values(e.getValue(), Pointers.child(pointer, e.getKey()));
            }
        }
    }
}
