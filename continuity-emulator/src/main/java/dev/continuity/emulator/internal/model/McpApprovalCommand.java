package dev.continuity.emulator.internal.model;

import java.util.Optional;

/**
 * An {@code mcp_approval_response} continues the response its {@code mcp_approval_request} stopped:
 * approved ({@code approve: true}), the {@code mcp_call} (with {@code approval_request_id}) and the message
 * {@code LABEL.TOOL returned: ..} as {@link McpCommand} answers without approval; refused, the message
 * {@code LABEL.TOOL was not approved.} (with {@code : REASON} when the response gives one). A response
 * naming no approval request of the conversation is refused.
 */
public final class McpApprovalCommand implements ScriptCommand {

    @Override
    public Optional<ModelReply> answer(ModelTurn turn, int trigger) {
        if (trigger < 0) {
            return Optional.empty();
        }
        ModelItem response = turn.items().get(trigger);
        if (response.type() != ModelItem.Type.TOOL_ITEM || !"mcp_approval_response".equals(response.itemType())) {
            return Optional.empty();
        }
        String requestId = response.field("approval_request_id");
        for (int i = trigger - 1; i >= 0; i--) {
            ModelItem item = turn.items().get(i);
            if (item.type() == ModelItem.Type.TOOL_ITEM && "mcp_approval_request".equals(item.itemType())
                    && requestId != null && requestId.equals(item.field("id"))) {
                String label = item.field("server_label");
                String name = item.field("name");
                if ("true".equals(response.field("approve"))) {
                    return Optional.of(new ModelReply(McpCommand.call(label, name, item.field("arguments"), requestId)));
                }
                String reason = response.field("reason");
                return Optional.of(ModelReply.message(label + "." + name + " was not approved"
                        + (reason == null || reason.isEmpty() ? "." : ": " + reason)));
            }
        }
        throw new ModelException("mcp_approval_response answers approval request '" + requestId
                + "', which is not in the conversation");
    }
}
