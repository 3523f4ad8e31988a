package dev.continuity.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The sample's ticket system: the two function tools of the {@code triage} agent
 * ({@code lookup_ticket}, {@code escalate}) over a few tickets in memory. A real application calls its
 * ticketing API here; the handlers receive the model's arguments as JSON and return JSON.
 */
public final class TicketDesk {

    /**
     * One ticket.
     *
     * @param id ticket id, e.g. {@code TCK-1042}
     * @param status open, pending or closed
     * @param customer the customer
     * @param product the product concerned
     * @param priority low, medium or high
     * @param ageDays days since the ticket was opened
     * @param latestMessage the customer's latest message
     */
    public record Ticket(String id, String status, String customer, String product, String priority, int ageDays,
            String latestMessage) {
    }

    /**
     * An escalation to the on-call engineer.
     *
     * @param ticketId the ticket
     * @param reason why it needs an engineer now
     */
    public record Escalation(String ticketId, String reason) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Ticket> tickets;
    private final List<Escalation> escalations = new CopyOnWriteArrayList<>();

    /** A desk with the sample tickets. */
    public TicketDesk() {
        this(List.of(
                new Ticket("TCK-1042", "open", "Northwind Traders", "Sync Server", "high", 4,
                        "Since last night's sync two folders are empty on every laptop."),
                new Ticket("TCK-1043", "pending", "Contoso Pharma", "Mobile App", "low", 1,
                        "How do I change the language of the app?")));
    }

    /** A desk with these tickets. */
    public TicketDesk(List<Ticket> tickets) {
        this.tickets = tickets.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(Ticket::id, t -> t));
    }

    /** The {@code lookup_ticket} tool: {@code {"ticket_id":..}} to the ticket as JSON, or an error object. */
    public String lookupTicket(String argumentsJson) throws Exception {
        String id = field(argumentsJson, "ticket_id");
        Ticket ticket = tickets.get(id);
        if (ticket == null) {
            return error("no ticket " + id);
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("ticket_id", ticket.id());
        answer.put("status", ticket.status());
        answer.put("customer", ticket.customer());
        answer.put("product", ticket.product());
        answer.put("priority", ticket.priority());
        answer.put("age_days", ticket.ageDays());
        answer.put("latest_message", ticket.latestMessage());
        return JSON.writeValueAsString(answer);
    }

    /** The {@code escalate} tool: {@code {"ticket_id":..,"reason":..}} records an escalation. */
    public String escalate(String argumentsJson) throws Exception {
        String id = field(argumentsJson, "ticket_id");
        String reason = field(argumentsJson, "reason");
        if (!tickets.containsKey(id)) {
            return error("no ticket " + id);
        }
        escalations.add(new Escalation(id, reason));
        ObjectNode answer = JSON.createObjectNode();
        answer.put("ticket_id", id);
        answer.put("escalated", true);
        answer.put("on_call", "sre-primary");
        return JSON.writeValueAsString(answer);
    }

    /** Escalations recorded so far, in order. */
    public List<Escalation> escalations() {
        return List.copyOf(escalations);
    }

    private static String field(String argumentsJson, String name) throws Exception {
        JsonNode value = JSON.readTree(argumentsJson).get(name);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("argument '" + name + "' is missing in " + argumentsJson);
        }
        return value.asText();
    }

    private static String error(String message) throws Exception {
        return JSON.writeValueAsString(Map.of("error", message));
    }
}
