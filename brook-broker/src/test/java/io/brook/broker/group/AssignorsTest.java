package io.brook.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class AssignorsTest {
    private static final Uuid CLICKS = Uuid.randomUuid();
    private static final Uuid ORDERS = Uuid.randomUuid();

    @Test
    void uniformSpreadsEveryPartitionWithinOnePerMember() {
        List<Assignors.MemberSpec> members = List.of(
                member("a", Set.of(CLICKS, ORDERS), Map.of()),
                member("b", Set.of(CLICKS, ORDERS), Map.of()),
                member("c", Set.of(CLICKS, ORDERS), Map.of()));

        Map<String, Map<Uuid, Set<Integer>>> assignment =
                Assignors.assign(Assignors.UNIFORM, members, Map.of(CLICKS, 6, ORDERS, 4));

        assertThat(counts(assignment).values())
                .allSatisfy(count -> assertThat(count).isBetween(3, 4));
        assertThat(allPartitions(assignment)).hasSize(10);
    }

    @Test
    void uniformKeepsPartitionsWhereTheyAreWhenAMemberJoins() {
        Map<Uuid, Set<Integer>> ofA = Map.of(CLICKS, Set.of(0, 1, 2));
        Map<Uuid, Set<Integer>> ofB = Map.of(CLICKS, Set.of(3, 4, 5));
        List<Assignors.MemberSpec> members = List.of(
                member("a", Set.of(CLICKS), ofA),
                member("b", Set.of(CLICKS), ofB),
                member("c", Set.of(CLICKS), Map.of()));

        Map<String, Map<Uuid, Set<Integer>>> assignment =
                Assignors.assign(Assignors.UNIFORM, members, Map.of(CLICKS, 6));

        assertThat(counts(assignment))
                .containsEntry("a", 2)
                .containsEntry("b", 2)
                .containsEntry("c", 2);
        assertThat(ofA.get(CLICKS)).containsAll(assignment.get("a").get(CLICKS));
        assertThat(ofB.get(CLICKS)).containsAll(assignment.get("b").get(CLICKS));
    }

    @Test
    void uniformGivesATopicOnlyToItsSubscribers() {
        List<Assignors.MemberSpec> members =
                List.of(member("a", Set.of(CLICKS), Map.of()), member("b", Set.of(CLICKS, ORDERS), Map.of()));

        Map<String, Map<Uuid, Set<Integer>>> assignment =
                Assignors.assign(Assignors.UNIFORM, members, Map.of(CLICKS, 4, ORDERS, 2));

        assertThat(assignment.get("a")).doesNotContainKey(ORDERS);
        assertThat(assignment.get("b").get(ORDERS)).containsExactlyInAnyOrder(0, 1);
        assertThat(counts(assignment)).containsEntry("a", 3).containsEntry("b", 3);
    }

    @Test
    void rangeGivesContiguousRangesTheFirstMembersOneMore() {
        List<Assignors.MemberSpec> members = List.of(
                member("b", Set.of(CLICKS), Map.of()),
                member("a", Set.of(CLICKS), Map.of()),
                member("c", Set.of(CLICKS), Map.of()));

        Map<String, Map<Uuid, Set<Integer>>> assignment = Assignors.assign(Assignors.RANGE, members, Map.of(CLICKS, 7));

        assertThat(assignment.get("a").get(CLICKS)).containsExactly(0, 1, 2);
        assertThat(assignment.get("b").get(CLICKS)).containsExactly(3, 4);
        assertThat(assignment.get("c").get(CLICKS)).containsExactly(5, 6);
    }

    private static Assignors.MemberSpec member(String id, Set<Uuid> topics, Map<Uuid, Set<Integer>> current) {
        return new Assignors.MemberSpec(id, null, topics, current);
    }

    private static Map<String, Integer> counts(Map<String, Map<Uuid, Set<Integer>>> assignment) {
        Map<String, Integer> counts = new HashMap<>();
        assignment.forEach((member, topics) ->
                counts.put(member, topics.values().stream().mapToInt(Set::size).sum()));
        return counts;
    }

    private static Set<String> allPartitions(Map<String, Map<Uuid, Set<Integer>>> assignment) {
        Set<String> all = new HashSet<>();
        assignment
                .values()
                .forEach(topics -> topics.forEach((topic, partitions) -> partitions.forEach(partition ->
                        assertThat(all.add(topic + "-" + partition)).isTrue())));
        return all;
    }
}
