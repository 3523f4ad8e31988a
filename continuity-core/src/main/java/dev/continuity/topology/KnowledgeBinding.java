package dev.continuity.topology;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a logical knowledge source is in one region. The {@code type} of the binding decides which
 * tools can use it: {@code vector_store} serves {@code file_search}, {@code azure_ai_search} serves
 * {@code azure_ai_search}. Other types are kept as {@link OtherKnowledge} for features that come later
 * (knowledge sync); no tool can use them yet.
 */
public sealed interface KnowledgeBinding permits VectorStoreKnowledge, SearchIndexKnowledge, OtherKnowledge {

    /** The binding type as written in the topology. */
    String type();

    /** The binding's JSON as written (after {@code ${ENV}} substitution); a copy. */
    ObjectNode raw();
}
