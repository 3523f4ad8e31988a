package dev.continuity.emulator.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A region project's model deployments and connections, answered in the shapes {@code azure-ai-projects}
 * ({@code DeploymentsClient}, {@code ConnectionsClient}) reads: single pages of {@code {"value":[...]}}
 * without {@code nextLink}. Fixed at start; read-only.
 */
public final class ProjectCatalog {

    private final String region;
    private final Map<String, DeploymentInfo> deployments = new LinkedHashMap<>();
    private final Map<String, ConnectionInfo> connections = new LinkedHashMap<>();

    /** A catalog of {@code region}'s deployments and connections (names unique; later entries win). */
    public ProjectCatalog(String region, List<DeploymentInfo> deployments, List<ConnectionInfo> connections) {
        this.region = region;
        deployments.forEach(d -> this.deployments.put(d.name(), d));
        connections.forEach(c -> this.connections.put(c.name(), c));
    }

    /** A catalog of deployments declared by name only and no connections. */
    public static ProjectCatalog ofNames(String region, List<String> deploymentNames) {
        return new ProjectCatalog(region, deploymentNames.stream().map(DeploymentInfo::named).toList(), List.of());
    }

    /** {@code GET /deployments}, filtered by the SDK's optional {@code modelPublisher}, {@code modelName}, {@code deploymentType}. */
    byte[] listDeployments(Map<String, String> query) {
        String publisher = query.get("modelPublisher");
        String model = query.get("modelName");
        String type = query.get("deploymentType");
        ObjectNode page = Json.object();
        ArrayNode value = page.putArray("value");
        for (DeploymentInfo d : deployments.values()) {
            if ((publisher == null || publisher.equals("OpenAI")) && (model == null || model.equals(d.modelName()))
                    && (type == null || type.equals("ModelDeployment"))) {
                value.add(deploymentJson(d));
            }
        }
        return Json.bytes(page);
    }

    /** {@code GET /deployments/{name}}; 404 when absent. */
    byte[] getDeployment(String name) {
        DeploymentInfo d = deployments.get(name);
        if (d == null) {
            throw ApiException.notFound("Deployment '" + name + "' not found in region " + region
                    + " (deployments: " + String.join(", ", deployments.keySet()) + ")");
        }
        return Json.bytes(deploymentJson(d));
    }

    /** {@code GET /connections}, filtered by the SDK's optional {@code connectionType}, {@code defaultConnection}. */
    byte[] listConnections(Map<String, String> query) {
        String type = query.get("connectionType");
        boolean defaultOnly = "true".equalsIgnoreCase(query.get("defaultConnection"));
        ObjectNode page = Json.object();
        ArrayNode value = page.putArray("value");
        for (ConnectionInfo c : connections.values()) {
            if ((type == null || type.equals(c.type())) && !defaultOnly) {
                value.add(connectionJson(c));
            }
        }
        return Json.bytes(page);
    }

    /** {@code GET /connections/{name}} (without credentials); 404 when absent. */
    byte[] getConnection(String name) {
        ConnectionInfo c = connections.get(name);
        if (c == null) {
            throw ApiException.notFound("Connection '" + name + "' not found in region " + region
                    + " (connections: " + String.join(", ", connections.keySet()) + ")");
        }
        return Json.bytes(connectionJson(c));
    }

    private static ObjectNode deploymentJson(DeploymentInfo d) {
        ObjectNode node = Json.object();
        node.put("type", "ModelDeployment");
        node.put("name", d.name());
        node.put("modelName", d.modelName());
        node.put("modelVersion", d.modelVersion());
        node.put("modelPublisher", "OpenAI");
        ObjectNode capabilities = node.putObject("capabilities");
        capabilities.put("chat_completion", "true");
        capabilities.put("responses", "true");
        ObjectNode sku = node.putObject("sku");
        sku.put("capacity", 100);
        sku.put("family", "");
        sku.put("name", d.sku());
        sku.put("size", "");
        sku.put("tier", "");
        return node;
    }

    private ObjectNode connectionJson(ConnectionInfo c) {
        ObjectNode node = Json.object();
        node.put("name", c.name());
        node.put("id", "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/continuity-emulator"
                + "/providers/Microsoft.CognitiveServices/accounts/" + region + "/projects/" + region
                + "/connections/" + c.name());
        node.put("type", c.type());
        node.put("target", c.target());
        node.put("isDefault", false);
        node.putObject("credentials").put("type", "None");
        node.putObject("metadata");
        return node;
    }
}
