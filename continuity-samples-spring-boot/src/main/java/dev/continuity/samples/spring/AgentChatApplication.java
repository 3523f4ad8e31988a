package dev.continuity.samples.spring;

import dev.continuity.spring.boot.ContinuityStackCustomizer;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The sample Spring Boot agent app. Everything Continuity needs comes from {@code application.yml}
 * ({@code continuity.*}): the starter builds the stack, and {@link ChatController} only injects the
 * {@code ContinuityClient}. The one bean declared here answers the {@code triage} agent's {@code lookup_ticket}
 * tool.
 *
 * <p>Locally: {@code ./continuity emulator}, {@code ./continuity deploy --topology agents/topology.local.json
 * --region eastus2}, then run this class from the repository's root directory (where {@code agents/} is), and
 * {@code curl -d '{"message":"remember ticket=TCK-1042"}' -H 'Content-Type: application/json'
 * localhost:8080/conversations/demo/messages}.
 */
@SpringBootApplication
public class AgentChatApplication {

    /** The answer of the {@code lookup_ticket} tool in this sample. */
    static final String TICKET_JSON = "{\"ticket_id\":\"TCK-1042\",\"status\":\"open\"}";

    /** Created by Spring. */
    public AgentChatApplication() {
    }

    /**
     * Answers the {@code triage} agent's {@code lookup_ticket} calls.
     *
     * @return the customizer registering the handler
     */
    @Bean
    ContinuityStackCustomizer ticketTools() {
        return stack -> stack.functionHandler("lookup_ticket", arguments -> TICKET_JSON);
    }

    /**
     * Starts the app.
     *
     * @param args Spring Boot's arguments ({@code --continuity.region=centralus}, ...)
     */
    public static void main(String[] args) {
        SpringApplication.run(AgentChatApplication.class, args);
    }
}
