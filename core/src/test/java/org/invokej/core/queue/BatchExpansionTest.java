package org.invokej.core.queue;

import org.invokej.core.DomainException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchExpansionTest {

    /** Accepts any graph and value; records what it was asked. */
    private static final class AcceptingChecker implements GraphChecker {
        Set<String> provided;

        @Override
        public CheckedGraph check(Map<String, Object> graph, Set<String> provided) {
            this.provided = provided;
            return new CheckedGraph(List.of());
        }

        @Override
        public void checkBatchValue(Map<String, Object> graph, String nodeId, String field, Object value) {
        }
    }

    private static Map<String, Object> graph() {
        Map<String, Object> nodes = new LinkedHashMap<>();
        for (String id : List.of("seed", "prompt", "negative", "steps")) {
            nodes.put(id, new LinkedHashMap<>(Map.of("id", id, "type", "integer")));
        }
        Map<String, Object> graph = new LinkedHashMap<>();
        graph.put("id", "g");
        graph.put("nodes", nodes);
        graph.put("edges", new ArrayList<>());
        return graph;
    }

    private static Batch batch(List<List<Batch.Datum>> data, int runs) {
        return new Batch(null, "generate", "generate", data, graph(), null, runs);
    }

    @SuppressWarnings("unchecked")
    private static Object value(BatchExpansion.Session session, String node) {
        return ((Map<String, Object>) ((Map<String, Object>) session.graph().get("nodes")).get(node)).get("value");
    }

    @Test
    void innerListsAreZippedOuterListsMultipliedAndRunsRepeated() {
        Batch batch = batch(List.of(
                List.of(new Batch.Datum("seed", "value", List.of(1, 2, 3))),
                List.of(new Batch.Datum("prompt", "value", List.of("a", "b")), new Batch.Datum("negative", "value", List.of("x", "y")))), 2);
        AcceptingChecker checker = new AcceptingChecker();
        BatchExpansion.check(batch, checker);
        assertEquals(Set.of("seed.value", "prompt.value", "negative.value"), checker.provided);
        assertEquals(12, BatchExpansion.requested(batch));
        List<BatchExpansion.Session> sessions = BatchExpansion.expand(batch);
        assertEquals(12, sessions.size());
        List<String> firstRun = sessions.subList(0, 6).stream()
                .map(s -> value(s, "seed") + ":" + value(s, "prompt") + ":" + value(s, "negative")).toList();
        assertEquals(List.of("1:a:x", "1:b:y", "2:a:x", "2:b:y", "3:a:x", "3:b:y"), firstRun, "first list varies slowest, second zipped");
        assertEquals(firstRun.get(0), value(sessions.get(6), "seed") + ":" + value(sessions.get(6), "prompt") + ":" + value(sessions.get(6), "negative"));
        assertEquals(List.of(Map.of("node_path", "seed", "field_name", "value", "value", 1),
                Map.of("node_path", "prompt", "field_name", "value", "value", "a"),
                Map.of("node_path", "negative", "field_name", "value", "value", "x")), sessions.get(0).fieldValues());
        assertNull(value(sessions.get(0), "steps"), "fields not in the data stay as they were");
        assertNull(((Map<?, ?>) ((Map<?, ?>) batch.graph().get("nodes")).get("seed")).get("value"), "the submitted graph is not changed");
    }

    @Test
    void noDataMeansOneSessionPerRun() {
        Batch batch = batch(List.of(), 3);
        assertEquals(3, BatchExpansion.requested(batch));
        List<BatchExpansion.Session> sessions = BatchExpansion.expand(batch);
        assertEquals(3, sessions.size());
        assertNull(sessions.get(0).fieldValues());
    }

    @Test
    void anAstronomicalBatchDoesNotWrapAround() {
        List<List<Batch.Datum>> data = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            data.add(List.of(new Batch.Datum("n" + i, "value", List.of(1, 2))));
        }
        assertEquals(Long.MAX_VALUE, BatchExpansion.requested(batch(data, 1)), "2^70 sessions do not fit in a long");
        assertEquals(Long.MAX_VALUE, BatchExpansion.requested(batch(data.subList(0, 63), 4)));
        assertEquals(1L << 62, BatchExpansion.requested(batch(data.subList(0, 62), 1)));
    }

    @Test
    void malformedDataIsRefused() {
        AcceptingChecker checker = new AcceptingChecker();
        DomainException unequal = assertThrows(DomainException.class, () -> BatchExpansion.check(batch(List.of(List.of(
                new Batch.Datum("prompt", "value", List.of("a", "b")), new Batch.Datum("negative", "value", List.of("x")))), 1), checker));
        assertTrue(unequal.detail().contains("same number of items"), unequal.detail());
        DomainException twice = assertThrows(DomainException.class, () -> BatchExpansion.check(batch(List.of(
                List.of(new Batch.Datum("seed", "value", List.of(1))), List.of(new Batch.Datum("seed", "value", List.of(2)))), 1), checker));
        assertTrue(twice.detail().contains("more than once"), twice.detail());
        DomainException mixed = assertThrows(DomainException.class, () -> BatchExpansion.check(batch(List.of(
                List.of(new Batch.Datum("seed", "value", List.of(1, "two")))), 1), checker));
        assertTrue(mixed.detail().contains("one type"), mixed.detail());
        BatchExpansion.check(batch(List.of(List.of(new Batch.Datum("seed", "value", List.of(1, 2.5)))), 1), checker);
        assertThrows(DomainException.class, () -> BatchExpansion.check(batch(List.of(List.of()), 1), checker));
    }

    @Test
    void roundRobinGivesTheUserServedLongestAgoTheNextTurn() {
        java.time.Instant t = java.time.Instant.parse("2026-11-26T12:00:00Z");
        List<QueueScheduler.Candidate> heads = List.of(
                new QueueScheduler.Candidate(4, "a", 0, t.plusSeconds(20)),
                new QueueScheduler.Candidate(7, "b", 0, t.plusSeconds(10)),
                new QueueScheduler.Candidate(9, "c", 5, null));
        assertEquals(9L, QueueScheduler.pick(QueueScheduler.Mode.ROUND_ROBIN, heads).orElseThrow(), "never served first");
        assertEquals(9L, QueueScheduler.pick(QueueScheduler.Mode.FIFO, heads).orElseThrow(), "FIFO: priority first");
        assertEquals(7L, QueueScheduler.pick(QueueScheduler.Mode.ROUND_ROBIN, heads.subList(0, 2)).orElseThrow());
        assertEquals(4L, QueueScheduler.pick(QueueScheduler.Mode.FIFO, heads.subList(0, 2)).orElseThrow());
        assertTrue(QueueScheduler.pick(QueueScheduler.Mode.FIFO, List.of()).isEmpty());
    }
}
