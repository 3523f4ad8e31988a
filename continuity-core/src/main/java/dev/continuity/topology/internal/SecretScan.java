package dev.continuity.topology.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.continuity.definition.internal.Pointers;
import dev.continuity.definition.internal.Problems;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds secrets in a topology: fields named like a credential, and values that look like one
 * (connection strings with a key, SAS signatures, credentials in a URL). Not part of the public API.
 */
public final class SecretScan {

    /** Normalized (lower-case letters and digits only) field names that hold credentials. */
    private static final Set<String> SECRET_NAMES = Set.of("key", "apikey", "secret", "clientsecret", "password",
            "passwd", "pwd", "connectionstring", "accountkey", "accesskey", "sharedaccesskey", "sas", "sastoken",
            "token", "accesstoken", "bearertoken", "credential", "credentials", "primarykey", "secondarykey");
    private static final String[] SECRET_SUFFIXES = {"key", "secret", "password", "connectionstring", "token"};
    private static final Pattern SECRET_VALUE = Pattern.compile(
            "(?i)(accountkey=|sharedaccesskey=|sharedaccesssignature=|password=|pwd=|[?&]sig=)");
    private static final Pattern URL_CREDENTIALS = Pattern.compile("(?i)^[a-z][a-z0-9+.-]*://[^/@\\s]+:[^/@\\s]*@");

    private final Problems problems;

    /** Reports to {@code problems}. */
    public SecretScan(Problems problems) {
        this.problems = problems;
    }

    /** True when a field of this name would hold a credential. */
    public static boolean isSecretFieldName(String field) {
        String n = field.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (SECRET_NAMES.contains(n)) {
            return true;
        }
        for (String suffix : SECRET_SUFFIXES) {
            if (n.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    /** Checks the field names of a record-like object (not a map of logical names) and its values. */
    public void fields(JsonNode object, String pointer) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = Pointers.child(pointer, e.getKey());
            if (isSecretFieldName(e.getKey())) {
                problems.addRootCause(at, "field '" + e.getKey() + "' would hold a secret; topology files hold no secrets:"
                        + " authenticate with Entra ID (DefaultAzureCredential) and keep keys in the project's"
                        + " connections or Key Vault");
            } else if (e.getValue().isObject()) {
                fields(e.getValue(), at);
            } else {
                values(e.getValue(), at);
            }
        }
    }

    /** Checks string values under {@code node} (array elements, map values) for credentials. */
    public void values(JsonNode node, String pointer) {
        if (node.isTextual()) {
            String v = node.textValue();
            if (SECRET_VALUE.matcher(v).find()) {
                problems.addRootCause(pointer, "value looks like a connection string or SAS URL with a credential; topology"
                        + " files hold no secrets");
            } else if (URL_CREDENTIALS.matcher(v).find()) {
                problems.addRootCause(pointer, "URL carries a user name and password; topology files hold no secrets");
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                values(node.get(i), Pointers.index(pointer, i));
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                values(e.getValue(), Pointers.child(pointer, e.getKey()));
            }
        }
    }
}
