package dev.continuity.spring.boot;

import dev.continuity.foundry.ContinuityStack;

/**
 * Adjusts the {@link ContinuityStack.Builder} the starter assembles, after it has applied the {@code continuity.*}
 * properties and before it starts the stack: function handlers, more failover listeners,
 * {@code configureClient(...)} or {@code configureFailover(...)} (which add to the properties' settings). Declare
 * one or more as beans; they run in {@link org.springframework.core.annotation.Order} order.
 *
 * <pre>{@code
 * @Bean
 * ContinuityStackCustomizer tickets(TicketDesk desk) {
 *     return stack -> stack.functionHandler("lookup_ticket", desk::lookupTicket);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ContinuityStackCustomizer {

    /**
     * Adjusts the builder.
     *
     * @param stack the stack's builder, not started yet
     */
    void customize(ContinuityStack.Builder stack);
}
