package dev.continuity.topology;

import dev.continuity.definition.DefinitionException;
import dev.continuity.definition.DefinitionProblem;
import java.util.List;

/** A topology file is invalid; carries every problem found (file + JSON pointer + reason). */
public class TopologyException extends DefinitionException {
    private static final long serialVersionUID = 1L;

    /**
     * @param problems every problem found (at least one)
     */
    public TopologyException(List<DefinitionProblem> problems) {
        super(problems);
    }
}
