package dev.logai.flink.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrgSharesTest {
    static final long STEP = 1024;

    /** Round-robin over the sources' timers as the task would fire them; steps taken per org. */
    static Map<String, Integer> run(OrgShares shares, List<String[]> sources, int rounds) {
        Map<String, Integer> steps = new HashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (String[] s : sources) {
                if (shares.mayStep(s[0], s[1])) {
                    shares.stepped(s[0], STEP);
                    steps.merge(s[0], 1, Integer::sum);
                }
            }
        }
        return steps;
    }

    @Test
    void anOrgWithManySourcesGetsTheSameShareAsAnOrgWithOne() {
        OrgShares shares = new OrgShares(STEP, org -> 100);
        List<String[]> sources = List.of(
                new String[] {"org_a", "a1"},
                new String[] {"org_a", "a2"},
                new String[] {"org_a", "a3"},
                new String[] {"org_a", "a4"},
                new String[] {"org_b", "b1"});
        Map<String, Integer> steps = run(shares, sources, 400);
        assertThat(steps.get("org_b")).isBetween(395, 400);
        // org_a's four sources stepped once each before org_b joined (at org_a's total): from then on
        // one step each per round, never four to one.
        assertThat(steps.get("org_a") - steps.get("org_b")).isBetween(0, 5);
    }

    @Test
    void anOrgThatJoinsLateGetsNoCreditForItsIdleTimeAndOneThatLeavesIsForgotten() {
        OrgShares shares = new OrgShares(STEP, org -> 100);
        run(shares, List.<String[]>of(new String[] {"org_a", "a1"}), 100);
        Map<String, Integer> steps =
                run(shares, List.of(new String[] {"org_a", "a1"}, new String[] {"org_b", "b1"}), 50);
        assertThat(steps.get("org_a")).as("a keeps stepping beside b").isBetween(49, 50);
        assertThat(steps.get("org_b")).isBetween(49, 50);
        shares.finished("org_b", "b1");
        shares.finished("org_a", "a1");
        assertThat(shares.orgs()).isZero();
    }

    @Test
    void aSingleOrgAlwaysSteps() {
        OrgShares shares = new OrgShares(STEP, org -> 100);
        assertThat(run(shares, List.<String[]>of(new String[] {"org_a", "a1"}), 10)
                        .get("org_a"))
                .isEqualTo(10);
    }

    @Test
    void anOrgReadsAtMostItsPlansUploadsAtOnceInTheOrderTheyStarted() {
        OrgShares shares = new OrgShares(STEP, org -> org.equals("org_free") ? 1 : 2);
        assertThat(shares.admitted("org_free", "f1")).isTrue();
        assertThat(shares.admitted("org_free", "f2")).isFalse();
        assertThat(shares.admitted("org_team", "t1")).isTrue();
        assertThat(shares.admitted("org_team", "t2")).isTrue();
        assertThat(shares.admitted("org_team", "t3")).isFalse();
        assertThat(shares.admitted("org_free", "f1")).isTrue(); // still the one reading
        shares.finished("org_free", "f1");
        assertThat(shares.admitted("org_free", "f2")).isTrue();
        shares.finished("org_team", "t1");
        assertThat(shares.admitted("org_team", "t3")).isTrue();
        assertThat(shares.admitted("org_team", "t2")).isTrue();
    }
}
