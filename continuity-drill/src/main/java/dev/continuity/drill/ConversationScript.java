package dev.continuity.drill;

/**
 * What conversation {@code index} says at each turn, and what a correct answer is. Odd turns store a
 * fact, even turns recall the fact stored just before, so every recall after the outage tests continuity.
 */
final class ConversationScript {
    private ConversationScript() {
    }

    static String key(String runId, int conversation) {
        return "drill-" + runId + "-" + conversation;
    }

    static String fact(int turn) {
        return "fact" + (turn % 2 == 1 ? turn : turn - 1);
    }

    static String value(int conversation, int turn) {
        return "c" + conversation + "-t" + (turn % 2 == 1 ? turn : turn - 1);
    }

    static String message(int conversation, int turn) {
        return turn % 2 == 1
                ? "remember " + fact(turn) + "=" + value(conversation, turn)
                : "recall " + fact(turn);
    }

    static String expected(int conversation, int turn) {
        return turn % 2 == 1
                ? "OK, I will remember " + fact(turn) + "."
                : fact(turn) + " is " + value(conversation, turn) + ".";
    }

    static boolean isRecall(int turn) {
        return turn % 2 == 0;
    }
}
