package dev.continuity.definition.internal;

/** RFC 6901 JSON pointer building. Not part of the public API. */
public final class Pointers {

    private Pointers() {
    }

    /** {@code parent + "/" + escaped(token)}. */
    public static String child(String parent, String token) {
        return parent + "/" + token.replace("~", "~0").replace("/", "~1");
    }

    /** {@code parent + "/" + index}. */
    public static String index(String parent, int index) {
        return parent + "/" + index;
    }
}
