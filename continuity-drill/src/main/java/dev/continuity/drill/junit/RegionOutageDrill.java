package dev.continuity.drill.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The failover drill in a JUnit 5 test of the application's own code: before each test the extension starts the
 * emulated regions of the application's topology ({@link dev.continuity.emulator.Emulator}), deploys the
 * application's own agent definitions to the primary, and hands the test a {@link DrillRegions} (the topology
 * file with the emulator's endpoints, the definitions, the regions) and an {@link Outage}. The test starts its
 * application against those regions, lets the drill watch its client and failover controller
 * ({@link Outage#watch}), runs its turns through {@link Outage#turn}, and the primary goes dark in the middle:
 * {@link Outage#darken()} or, declared, after {@link #outageAfterTurns()} turns. When the test method returns, the
 * extension measures the RTO and the RPO as the drill defines them ({@link dev.continuity.drill.RecoveryClock},
 * {@link dev.continuity.drill.RecoveryPoint}) and fails the test, naming the measured and the declared value, when
 * a declared bound is broken.
 *
 * <pre>{@code
 * @RegionOutageDrill(agents = "../agents", rto = "PT30S", rpo = 0)
 * class CheckoutSurvivesARegionOutageTest {
 *     @Test
 *     void checkout(DrillRegions regions, Outage outage) { ... }
 * }
 * }</pre>
 *
 * <p>Keep the application open until the test method returns (start it in {@code @BeforeEach}, close it in
 * {@code @AfterEach}): the RPO is read from its journal right after the method. See docs/testing-your-dr.md.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RegionOutageDrillExtension.class)
public @interface RegionOutageDrill {

    /**
     * The application's agent definitions directory ({@code agents/}), absolute or relative to the working
     * directory (under Maven Surefire: the module's directory).
     *
     * @return the directory
     */
    String agents();

    /**
     * The application's topology file, relative to {@link #agents()} (or absolute). Every region it names is
     * emulated; each region's {@code project_endpoint} is replaced by the emulated region's, the rest of the file
     * is kept as written.
     *
     * @return the topology file
     */
    String topology() default "topology.local.json";

    /**
     * The agents deployed to the primary before the test, by name; empty (the default) deploys the latest
     * version of every agent in {@link #agents()}.
     *
     * @return agent names
     */
    String[] deploy() default {};

    /**
     * The RTO bound, an ISO-8601 duration ({@code "PT2S"}): the test fails when the time from the outage to the
     * first turn answered correctly in the secondary (of a conversation with turns before the outage) is longer.
     * Empty (the default): measured and reported, not asserted.
     *
     * @return the bound
     */
    String rto() default "";

    /**
     * The RPO bound in turns: the test fails when more acknowledged turns were lost (missing from the journal,
     * or acknowledged before the outage and absent from the secondary's copy of a conversation continued there),
     * or when a continued conversation's copy in the secondary does not hold the journal's items. {@code -1}
     * (the default): measured and reported, not asserted.
     *
     * @return the bound
     */
    long rpo() default -1;

    /**
     * A scheduled outage: the primary goes dark once this many turns ({@link Outage#turn}) were answered;
     * {@code 0} (the default): the test calls {@link Outage#darken()} itself.
     *
     * @return turns before the outage
     */
    int outageAfterTurns() default 0;
}
