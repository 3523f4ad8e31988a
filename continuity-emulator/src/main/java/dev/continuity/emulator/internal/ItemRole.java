package dev.continuity.emulator.internal;

/** Message roles a conversation accepts, stored as a byte. */
enum ItemRole {
    NONE(null), USER("user"), ASSISTANT("assistant"), SYSTEM("system"), DEVELOPER("developer");

    private static final ItemRole[] VALUES = values();

    final String wire;

    ItemRole(String wire) {
        this.wire = wire;
    }

    static ItemRole of(byte code) {
        return VALUES[code];
    }

    /** The role for a wire name, or null when the service does not accept it. */
    static ItemRole parse(String wire) {
        for (ItemRole role : VALUES) {
            if (role.wire != null && role.wire.equals(wire)) {
                return role;
            }
        }
        return null;
    }
}
