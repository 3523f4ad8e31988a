package dev.continuity.knowledge;

import java.util.List;

/** Where the files of a logical knowledge source come from (their source of truth), e.g. a blob prefix. */
public interface KnowledgeSource {

    /** A short description for messages, e.g. {@code blob container 'knowledge' prefix 'handbook/'}. */
    String describe();

    /**
     * The relative paths of every file, sorted, {@code /}-separated, none with an empty, {@code .} or
     * {@code ..} segment, a backslash, NUL, leading {@code /} or drive letter
     * ({@link dev.continuity.io.ContainedRoot#relativePathProblem}): {@link FileKnowledgeSync} refuses the
     * whole sync, naming the path, before uploading anything otherwise.
     */
    List<String> list();

    /** The bytes of the file at a relative path. */
    byte[] read(String path);
}
