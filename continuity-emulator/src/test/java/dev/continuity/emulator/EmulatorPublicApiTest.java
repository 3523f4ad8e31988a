package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The emulator's public API is the one docs/emulator.md promises to keep stable ("Using the emulator in your
 * tests"): exactly these public types outside {@code internal} packages, and none of their public or protected
 * members exposes an {@code internal} type. A new public type, or an internal type leaking into a signature, is a
 * change of the promise: update the list here and the docs together.
 */
class EmulatorPublicApiTest {

    /** The stable API, as documented. */
    static final Set<String> DOCUMENTED = Set.of(
            "dev.continuity.emulator.Emulator",
            "dev.continuity.emulator.EmulatorBuilder",
            "dev.continuity.emulator.EmulatorRegion",
            "dev.continuity.emulator.RegionFaults",
            "dev.continuity.emulator.FaultRule",
            "dev.continuity.emulator.FaultRule$Kind",
            "dev.continuity.emulator.ServiceTimes",
            "dev.continuity.emulator.EmulatorMain",
            "dev.continuity.emulator.search.SearchEmulator",
            "dev.continuity.emulator.search.SearchEmulator$Builder",
            "dev.continuity.emulator.keyvault.KeyVaultEmulator");

    @Test
    void thePublicTypesOutsideInternalPackagesAreExactlyTheDocumentedApi() throws Exception {
        assertThat(publicApiTypes()).containsExactlyInAnyOrderElementsOf(DOCUMENTED);
    }

    @Test
    void noPublicMemberOfTheApiExposesAnInternalType() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (String name : DOCUMENTED) {
            Class<?> type = Class.forName(name);
            for (Method method : type.getDeclaredMethods()) {
                if (exposed(method.getModifiers()) && !method.isSynthetic()) {
                    check(type, method, method.getGenericReturnType(), leaks);
                    checkParameters(type, method, leaks);
                }
            }
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (exposed(constructor.getModifiers())) {
                    checkParameters(type, constructor, leaks);
                }
            }
            for (Field field : type.getDeclaredFields()) {
                if (exposed(field.getModifiers())) {
                    check(type, field, field.getGenericType(), leaks);
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    private static boolean exposed(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void checkParameters(Class<?> type, Executable executable, List<String> leaks) {
        for (Type parameter : executable.getGenericParameterTypes()) {
            check(type, executable, parameter, leaks);
        }
    }

    private static void check(Class<?> type, Object member, Type used, List<String> leaks) {
        if (used.getTypeName().contains(".internal.")) {
            leaks.add(type.getName() + ": " + member + " uses " + used.getTypeName());
        }
    }

    /** Public top-level and nested types of the emulator's compiled classes outside {@code internal} packages. */
    private static Set<String> publicApiTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(Emulator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes.resolve("dev/continuity/emulator"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".")
                        .replaceAll("\\.class$", "");
                if (name.contains(".internal.") || name.endsWith("package-info")) {
                    continue;
                }
                Class<?> type = Class.forName(name, false, EmulatorPublicApiTest.class.getClassLoader());
                if (isPublicApi(type)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static boolean isPublicApi(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
            if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isSynthetic()) {
                return false;
            }
        }
        return true;
    }
}
