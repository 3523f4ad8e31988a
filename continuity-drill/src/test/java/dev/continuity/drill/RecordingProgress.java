package dev.continuity.drill;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Drill progress kept in memory, for assertions. */
final class RecordingProgress implements Drill.Progress {
    final List<String> phases = new CopyOnWriteArrayList<>();
    final List<String> notes = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();

    @Override
    public void phase(String name) {
        phases.add(name);
    }

    @Override
    public void turns(long acknowledged, long expected, String activeRegion) {
    }

    @Override
    public void note(String message) {
        notes.add(message);
    }

    @Override
    public void problem(String message) {
        problems.add(message);
    }
}
