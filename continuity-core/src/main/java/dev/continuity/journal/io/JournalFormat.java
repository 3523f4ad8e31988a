package dev.continuity.journal.io;


/**
 * The journal file format {@value #FORMAT}: JSON Lines (UTF-8, one JSON object per line, {@code \n}
 * line ends), written by {@link JournalExporter} and read by {@link JournalImporter}.
 *
 * <pre>
 * {"format":"continuity-journal/1","exported_at":"2026-07-01T10:00:00Z","tenant":"t1"}
 * {"type":"conversation","key":"k1","tenant":"t1","agent":"triage","agent_version":null,"last_sequence":2,
 *  "created_at":"...","last_activity_at":"...","regions":{"eastus2":{"conversation_id":"conv_..","replayed_through":2}}}
 * {"type":"turn","key":"k1","sequence":1,"agent":"triage","agent_version":null,"status":"COMMITTED",
 *  "input":[{item}],"output":[{item}],"response_id":"resp_..","region":"eastus2",
 *  "usage":{"input_tokens":10,"output_tokens":5,"total_tokens":15},"started_at":"...","completed_at":"...",
 *  "digest":"sha256:9f86d0..."}
 * {"type":"turn","key":"k1","sequence":2,...}
 * {"type":"conversation","key":"k2",...}
 * ...
 * {"type":"end","conversations":2,"turns":7}
 * </pre>
 *
 * <ul>
 *   <li>Line 1 is the format marker; a reader refuses any other {@code format} value.</li>
 *   <li>Each conversation is a {@code conversation} line followed by all its turns, sequences 1, 2, ...
 *       without gaps; {@code last_sequence} equals the number of turn lines that follow. A key appears
 *       once per file.</li>
 *   <li>Items are the journal's canonical JSON of Responses-API input items ({@code TurnItem}), embedded
 *       as JSON objects, unchanged: an export/import round trip gives back every item byte for byte.
 *       Numbers are kept exactly as written ({@code 1.50}, {@code 1e400}, {@code -0}, integers of any size:
 *       never rounded, never {@code "Infinity"}); a reader refuses a duplicate key, a string holding a lone
 *       UTF-16 surrogate and a number whose exponent does not fit 32 bits, naming the line and the JSON
 *       pointer ({@code file:3: refused /input/0/data/price: duplicate key 'price' ...}).</li>
 *   <li>Times are ISO-8601 instants with the journal's precision (up to nanoseconds). {@code status} is
 *       {@code PENDING} or {@code COMMITTED}; a pending turn has an empty {@code output} and null
 *       {@code response_id}, {@code region} and {@code completed_at}.</li>
 *   <li>A turn sent with Responses API options ({@code TurnOptions}) carries them in {@code options}, a JSON
 *       object of the request fields ({@code {"max_output_tokens":64,"tool_choice":"none"}}); the field is
 *       absent for a turn without options (older files have none).</li>
 *   <li>{@code regions} holds the head's per-region cursors: the regional conversation id and the last
 *       sequence replayed there. They are only meaningful against the same Foundry projects.</li>
 *   <li>{@code tenant} on the format line: the export holds that tenant's conversations only (absent: every
 *       tenant's). {@code tenant} on a conversation line: the conversation's tenant; absent in files written
 *       before tenants existed, which import into the default tenant ({@code Tenants.DEFAULT}).</li>
 *   <li>{@code digest} on a turn line: {@link TurnDigest}, the SHA-256 of the line without the digest. A reader
 *       refuses a turn whose digest does not match its content; older files have none.
 *       {@link ExportComparison} compares two exports turn by turn by digest.</li>
 *   <li>The last line is {@code end} with the counts, so a truncated file is recognised and refused.</li>
 *   <li>Within version 1 fields may be added (readers ignore fields they do not know); a change a
 *       version-1 reader would misread gets a new format value.</li>
 * </ul>
 */
public final class JournalFormat {

    /** The format marker's value for this version. */
    public static final String FORMAT = "continuity-journal/1";

    static final String TYPE = "type";
    static final String CONVERSATION = "conversation";
    static final String TURN = "turn";
    static final String END = "end";

    private JournalFormat() {
    }
}
