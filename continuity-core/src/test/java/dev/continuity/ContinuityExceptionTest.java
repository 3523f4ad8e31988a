package dev.continuity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuity.agentservice.AgentServiceException;
import dev.continuity.client.ConversationBusyException;
import dev.continuity.client.RegionUnavailableException;
import dev.continuity.client.TurnRejectedException;
import dev.continuity.definition.DefinitionException;
import dev.continuity.journal.JournalException;
import dev.continuity.journal.TurnConflictException;
import dev.continuity.journal.io.JournalFileException;
import dev.continuity.knowledge.KnowledgeSyncException;
import dev.continuity.replay.ReplayException;
import dev.continuity.topology.TopologyException;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every exception the core library throws has one root. */
class ContinuityExceptionTest {

    @Test
    void theNamedLibraryExceptionsExtendTheRoot() {
        assertThat(List.of(JournalException.class, TurnConflictException.class, JournalFileException.class,
                DefinitionException.class, TopologyException.class, ReplayException.class,
                KnowledgeSyncException.class, AgentServiceException.class, TurnRejectedException.class,
                RegionUnavailableException.class, ConversationBusyException.class))
                .allSatisfy(type -> assertThat(ContinuityException.class).isAssignableFrom(type));
        assertThat(RuntimeException.class).isAssignableFrom(ContinuityException.class);
    }

    @Test
    void everyPublicExceptionOfTheCoreModuleExtendsTheRoot() throws IOException, URISyntaxException {
        Path classes = Path.of(ContinuityException.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> exceptions;
        try (Stream<Path> files = Files.walk(classes)) {
            exceptions = files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> classes.relativize(f).toString().replace('/', '.').replace('\\', '.'))
                    .map(name -> name.substring(0, name.length() - ".class".length()))
                    .map(ContinuityExceptionTest::load)
                    .filter(Throwable.class::isAssignableFrom)
                    .filter(type -> Modifier.isPublic(type.getModifiers()))
                    .toList();
        }
        assertThat(exceptions).contains(ContinuityException.class, JournalException.class, ReplayException.class);
        assertThat(exceptions).allSatisfy(type -> assertThat(ContinuityException.class).isAssignableFrom(type));
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ContinuityExceptionTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(name, e);
        }
    }
}
