package dev.continuity.foundry;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.policy.HttpPipelinePolicy;
import dev.continuity.Secrets;
import dev.continuity.agentservice.AgentService;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.AzureAiSearchTool;
import dev.continuity.definition.ToolSpec;
import dev.continuity.foundry.internal.ApiKeyHeaderPolicy;
import dev.continuity.foundry.internal.BearerTokenHeaderPolicy;
import dev.continuity.foundry.internal.CachingTokenSupplier;
import dev.continuity.foundry.internal.SearchIndexReader;
import dev.continuity.foundry.internal.SearchIndexReader.FieldShape;
import dev.continuity.foundry.internal.SearchIndexReader.IndexShape;
import dev.continuity.foundry.internal.SearchIndexReader.SearchUnavailableException;
import dev.continuity.knowledge.SearchIndexCounts;
import dev.continuity.knowledge.SearchParityReport;
import dev.continuity.preflight.PreflightCheck;
import dev.continuity.preflight.PreflightProblem;
import dev.continuity.topology.CredentialEndpointRule;
import dev.continuity.topology.KnowledgeBinding;
import dev.continuity.topology.Region;
import dev.continuity.topology.SearchIndexKnowledge;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that every Azure AI Search index the agents need is ready in a target region before it is
 * rehydrated: for each logical index an {@code azure_ai_search} tool names, the target region's index
 * exists, has the same fields as the primary's (names, EDM types, key) and a document count within
 * {@link Builder#tolerance a tolerance} of the primary's. When the primary cannot be read (a region
 * loss) the last {@link SearchIndexCounts recorded} count and fields are used instead.
 *
 * <p>As a {@link PreflightCheck} it makes the {@code Rehydrator} stop with a report naming the logical
 * index, the region and the difference; {@link Builder#force(boolean) forced}, the same findings are
 * logged as warnings and kept in {@link #lastReport()}, and rehydration goes on.
 *
 * <p>Authentication per binding: when the topology binding has {@code "api_key_env": "VAR"} the
 * search {@code api-key} is read from that environment variable, otherwise an Entra ID token for
 * {@value SearchIndexReader#SCOPE} from the {@link Builder#credential credential}. Both work over
 * {@code http://} (a local emulator) too.
 *
 * <pre>{@code
 * SearchIndexParity parity = SearchIndexParity.builder()
 *     .primary(topology.primary().orElseThrow())
 *     .credential(new DefaultAzureCredentialBuilder().build())
 *     .lastCounts(SearchIndexCounts.fromJson(Files.readString(countsFile)))
 *     .build();
 * Rehydrator.builder()...preflightCheck(parity).build().run();
 * Files.writeString(countsFile, parity.counts().toJson());
 * }</pre>
 */
public final class SearchIndexParity implements PreflightCheck {

    /** The binding field naming the environment variable that holds the search service's api-key. */
    public static final String API_KEY_ENV_FIELD = "api_key_env";

    private static final Logger LOG = LoggerFactory.getLogger(SearchIndexParity.class);

    private final Region primary;
    private final double tolerance;
    private final boolean force;
    private final CachingTokenSupplier tokens;
    private final Function<String, String> environment;
    private final Integer maxRetries;
    private final FoundryClientOptions options;
    private final Clock clock;
    private volatile SearchIndexCounts counts;
    private volatile SearchParityReport lastReport;

    private SearchIndexParity(Builder b) {
        this.primary = b.primary;
        this.tolerance = b.tolerance;
        this.force = b.force;
        this.tokens = b.credential == null ? null : new CachingTokenSupplier(b.credential, SearchIndexReader.SCOPE);
        this.environment = b.environment;
        this.maxRetries = b.maxRetries;
        this.options = b.options;
        this.clock = b.clock;
        this.counts = b.lastCounts;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The recorded primary counts, updated by every check that could read the primary. */
    public SearchIndexCounts counts() {
        return counts;
    }

    /** The report of the latest check, or empty before the first. */
    public Optional<SearchParityReport> lastReport() {
        return Optional.ofNullable(lastReport);
    }

    /** Blocking problems for the Rehydrator's preflight (none when forced; the findings are then logged as warnings). */
    @Override
    public List<PreflightProblem> check(Region region, AgentService target, Collection<AgentDefinition> definitions) {
        return compare(region, definitions).problems();
    }

    /** Compares every logical search index {@code definitions} use between the primary and {@code target}. */
    public synchronized SearchParityReport compare(Region target, Collection<AgentDefinition> definitions) {
        Objects.requireNonNull(target, "target");
        List<PreflightProblem> findings = new ArrayList<>();
        for (String logical : logicalIndexes(definitions)) {
            findings.addAll(compareOne(logical, target));
        }
        SearchParityReport report;
        if (force && !findings.isEmpty()) {
            findings.forEach(p -> LOG.warn("search index parity (forced, not blocking): {}", p));
            report = new SearchParityReport(target.name(), List.of(), findings, counts);
        } else {
            findings.forEach(p -> LOG.info("search index parity: {}", p));
            report = new SearchParityReport(target.name(), findings, List.of(), counts);
        }
        lastReport = report;
        return report;
    }

    private List<PreflightProblem> compareOne(String logical, Region target) {
        String source = "region " + target.name();
        String at = "/regions/" + target.name() + "/knowledge/" + logical;
        List<PreflightProblem> out = new ArrayList<>();
        if (target.name().equals(primary.name())) {
            return out;
        }
        KnowledgeBinding tb = target.knowledgeSource(logical).orElse(null);
        if (!(tb instanceof SearchIndexKnowledge targetBinding)) {
            return out; // the built-in binding check reports a missing or wrong binding
        }
        String what = "search index '" + logical + "'";
        KnowledgeBinding pb = primary.knowledgeSource(logical).orElse(null);
        if (!(pb instanceof SearchIndexKnowledge primaryBinding)) {
            out.add(new PreflightProblem(source, at, what + ": the primary region '" + primary.name()
                    + "' has no azure_ai_search binding for it, so there is nothing to compare region '" + target.name()
                    + "' with"));
            return out;
        }

        // the primary: live, else the last recorded
        SearchIndexCounts.Recorded reference = null;
        String referenceNote;
        String primaryError = null;
        try {
            Optional<IndexShape> shape = reader(primary, primaryBinding, logical).read(primaryBinding.indexName());
            if (shape.isEmpty()) {
                out.add(new PreflightProblem("region " + primary.name(), "/regions/" + primary.name() + "/knowledge/"
                        + logical, what + " (index '" + primaryBinding.indexName() + "') does not exist in the primary"
                        + " region '" + primary.name() + "' (" + Secrets.redact(primaryBinding.endpoint()) + ")"));
                return out;
            }
            SearchIndexCounts.Recorded r = new SearchIndexCounts.Recorded(primary.name(), shape.get().documents(),
                    clock.instant(), signature(shape.get().fields()));
            counts = counts.with(logical, r);
            reference = r;
            referenceNote = "the primary '" + primary.name() + "' has";
        } catch (ConfigException e) {
            primaryError = e.getMessage();
            referenceNote = null;
        } catch (SearchUnavailableException e) {
            primaryError = e.getMessage();
            referenceNote = null;
        }
        if (reference == null) {
            Optional<SearchIndexCounts.Recorded> recorded = counts.get(logical);
            if (recorded.isEmpty()) {
                out.add(new PreflightProblem(source, at, what + ": the primary region '" + primary.name()
                        + "' cannot be read (" + primaryError + ") and no count was recorded for it; rehydrate with"
                        + " force or provide the last recorded counts"));
                return out;
            }
            reference = recorded.get();
            referenceNote = "the count recorded in '" + recorded.get().region() + "' at " + recorded.get().observedAt()
                    + " (primary unreadable: " + primaryError + ") is";
            LOG.info("{}: primary {} unreadable, comparing with the count recorded at {}", what, primary.name(),
                    recorded.get().observedAt());
        }

        // the target
        Optional<IndexShape> targetShape;
        try {
            targetShape = reader(target, targetBinding, logical).read(targetBinding.indexName());
        } catch (ConfigException | SearchUnavailableException e) {
            out.add(new PreflightProblem(source, at, what + " (index '" + targetBinding.indexName() + "') in region '"
                    + target.name() + "' cannot be read: " + e.getMessage()));
            return out;
        }
        if (targetShape.isEmpty()) {
            out.add(new PreflightProblem(source, at, what + " (index '" + targetBinding.indexName()
                    + "') does not exist in region '" + target.name() + "' (" + Secrets.redact(targetBinding.endpoint())
                    + "); create it and load its documents before rehydrating"));
            return out;
        }
        IndexShape shape = targetShape.get();
        if (!reference.fields().isEmpty()) {
            fieldDifferences(signature(shape.fields()), reference.fields(), out, source, at,
                    what + " (index '" + targetBinding.indexName() + "') in region '" + target.name() + "'");
        }
        long expected = reference.documents();
        long actual = shape.documents();
        long diff = Math.abs(actual - expected);
        double allowed = tolerance * expected;
        if (diff > allowed) {
            String pct = expected == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100.0 * diff / expected);
            out.add(new PreflightProblem(source, at, what + " (index '" + targetBinding.indexName() + "') in region '"
                    + target.name() + "' has " + actual + " documents; " + referenceNote + " " + expected
                    + ": a difference of " + (actual - expected) + " (" + pct + ") exceeds the tolerance of "
                    + String.format(Locale.ROOT, "%.1f%%", tolerance * 100)));
        }
        return out;
    }

    private static void fieldDifferences(List<String> targetFields, List<String> referenceFields,
            List<PreflightProblem> out, String source, String at, String where) {
        Map<String, String> t = bySignatureName(targetFields);
        Map<String, String> r = bySignatureName(referenceFields);
        List<String> diffs = new ArrayList<>();
        for (Map.Entry<String, String> e : r.entrySet()) {
            String mine = t.get(e.getKey());
            if (mine == null) {
                diffs.add("field '" + e.getKey() + "' (" + e.getValue() + ") is missing");
            } else if (!mine.equals(e.getValue())) {
                diffs.add("field '" + e.getKey() + "' is " + mine + ", the primary's is " + e.getValue());
            }
        }
        for (Map.Entry<String, String> e : t.entrySet()) {
            if (!r.containsKey(e.getKey())) {
                diffs.add("field '" + e.getKey() + "' (" + e.getValue() + ") is not in the primary's index");
            }
        }
        if (!diffs.isEmpty()) {
            out.add(new PreflightProblem(source, at, where + " has different fields from the primary's: "
                    + String.join("; ", diffs)));
        }
    }

    private static Map<String, String> bySignatureName(List<String> signature) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String s : signature) {
            int colon = s.indexOf(':');
            out.put(colon < 0 ? s : s.substring(0, colon), colon < 0 ? "" : s.substring(colon + 1));
        }
        return out;
    }

    private static List<String> signature(List<FieldShape> fields) {
        return fields.stream().map(f -> f.name() + ":" + f.type() + (f.key() ? ":key" : "")).toList();
    }

    private SearchIndexReader reader(Region region, SearchIndexKnowledge binding, String logical) {
        String at = "knowledge." + logical + " of region '" + region.name() + "'";
        if (binding.endpoint() == null || binding.endpoint().isBlank()) {
            throw new ConfigException(at + " has no 'endpoint' (the search service URL) to check the index at");
        }
        // before an API key is read or a token fetched for it
        Optional<String> refusal = CredentialEndpointRule.system().refusal(binding.endpoint());
        if (refusal.isPresent()) {
            throw new ConfigException(at + ": the search endpoint " + Secrets.redact(binding.endpoint())
                    + " cannot receive a credential: " + refusal.get());
        }
        HttpPipelinePolicy auth;
        String env = binding.raw().path(API_KEY_ENV_FIELD).asText(null);
        if (env != null && !env.isBlank()) {
            String key = environment.apply(env);
            if (key == null || key.isBlank()) {
                throw new ConfigException("environment variable '" + env + "' named by " + at + " '" + API_KEY_ENV_FIELD
                        + "' is not set");
            }
            auth = new ApiKeyHeaderPolicy(key, CredentialEndpointRule.system(), region.name());
        } else if (tokens != null) {
            auth = new BearerTokenHeaderPolicy(tokens, CredentialEndpointRule.system(), region.name());
        } else {
            throw new ConfigException(at + " has no '" + API_KEY_ENV_FIELD + "' and no TokenCredential was given");
        }
        return new SearchIndexReader(binding.endpoint(), SdkHttp.pipeline(
                options != null ? options : FoundryClientOptions.defaults(), binding.endpoint(), region.name(), auth,
                maxRetries != null ? maxRetries : options != null ? null : Integer.valueOf(2), List.of()));
    }

    private static Set<String> logicalIndexes(Collection<AgentDefinition> definitions) {
        Set<String> out = new LinkedHashSet<>();
        for (AgentDefinition d : definitions) {
            for (ToolSpec tool : d.tools()) {
                if (tool instanceof AzureAiSearchTool s) {
                    out.add(s.index());
                }
            }
        }
        return out;
    }

    /** A binding that cannot be checked as configured. */
    private static final class ConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConfigException(String message) {
            super(message);
        }
    }

    /** Builds a {@link SearchIndexParity}. */
    public static final class Builder {
        private Region primary;
        private double tolerance = 0.05;
        private boolean force;
        private TokenCredential credential;
        private Function<String, String> environment = System::getenv;
        private Integer maxRetries;
        private FoundryClientOptions options;
        private Clock clock = Clock.systemUTC();
        private SearchIndexCounts lastCounts = SearchIndexCounts.NONE;

        private Builder() {
        }

        /** The primary region (the reference); required. */
        public Builder primary(Region primary) {
            this.primary = Objects.requireNonNull(primary, "primary");
            return this;
        }

        /** The allowed document count difference as a fraction of the reference count (default 0.05). */
        public Builder tolerance(double fraction) {
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new IllegalArgumentException("tolerance must be between 0 and 1, not " + fraction);
            }
            this.tolerance = fraction;
            return this;
        }

        /** Differences become logged warnings instead of blocking problems (default false). */
        public Builder force(boolean force) {
            this.force = force;
            return this;
        }

        /** The Entra ID credential for bindings without {@code api_key_env}. */
        public Builder credential(TokenCredential credential) {
            this.credential = Objects.requireNonNull(credential, "credential");
            return this;
        }

        /** Where {@code api_key_env} variables are read (default the process environment). */
        public Builder environment(Function<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /**
         * The HTTP client, logging, application id and headers, proxy and retries of the search clients
         * (default {@link FoundryClientOptions#defaults()} with 2 retries).
         *
         * @param options the options
         * @return this builder
         */
        public Builder options(FoundryClientOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** SDK retries per read on 429/5xx/I/O, in place of the options' (default 2 without options; 0 = none). */
        public Builder maxRetries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("retries must be >= 0");
            }
            this.maxRetries = retries;
            return this;
        }

        /** The counts recorded by an earlier check, used when the primary cannot be read. */
        public Builder lastCounts(SearchIndexCounts counts) {
            this.lastCounts = Objects.requireNonNull(counts, "counts");
            return this;
        }

        /** The clock stamping recorded counts (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Builds the check. */
        public SearchIndexParity build() {
            if (primary == null) {
                throw new IllegalStateException("primary region is required");
            }
            return new SearchIndexParity(this);
        }
    }
}
