package io.clink.core.internal.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Route ids looked up by their bytes without copies: text and byte forms, prefixes, raw ids, the table's churn. */
class RouteIdCodesTest {

    private final RouteIndex index = new RouteIndex();

    @Test
    void addAndDelete_textAndByteFormsOfOneId_areTheSameRow() {
        String id = "$p/s\u00e9ssion-\ud83d\ude00/a/b";
        assertThat(index.add("a/b", "B", id, 0)).isTrue();
        assertThat(index.add("a/b", "B", RouteId.of(id.getBytes(StandardCharsets.UTF_8)), 1))
                .isFalse();
        assertThat(index.routes("B"))
                .singleElement()
                .satisfies(r -> assertThat(r.routeId()).isEqualTo(RouteId.utf8(id)));
        assertThat(index.delete("a/b", "B", RouteId.utf8(id), 0)).isFalse();
        assertThat(index.delete("a/b", "B", id, 1)).isTrue();
        assertThat(index.routeCount()).isZero();
        index.validate();
    }

    @Test
    void add_idNotUtf8_keptByItsExactBytes() {
        RouteId odd = RouteId.of(new byte[] {'$', 'p', '/', (byte) 0xff, '/', 'a'});
        index.add("a", "B", odd, 0);
        assertThat(index.routes("B"))
                .singleElement()
                .satisfies(r -> assertThat(r.routeId()).isEqualTo(odd));
        // The same characters as text are other bytes (U+FFFD is not 0xff): another id, so nothing is deleted.
        assertThat(index.delete("a", "B", "$p/\ufffd/a", 0)).isFalse();
        assertThat(index.delete("a", "B", odd, 0)).isTrue();
        index.validate();
    }

    @Test
    void addAndDelete_manyPrefixesAndRawIds_tableStaysConsistent() {
        SplittableRandom rnd = new SplittableRandom(12);
        List<String[]> present = new ArrayList<>();
        for (int step = 0; step < 5_000; step++) {
            if (!present.isEmpty() && rnd.nextInt(3) == 0) {
                String[] r = present.remove(rnd.nextInt(present.size()));
                assertThat(index.delete(r[0], "B", r[1], 0))
                        .as("delete %s %s", r[0], r[1])
                        .isTrue();
            } else {
                String filter = "f/" + rnd.nextInt(40);
                int kind = rnd.nextInt(3);
                String id = kind == 0
                        ? filter
                        : kind == 1 ? "$p/session-" + rnd.nextInt(300) + "/" + filter : "raw-" + rnd.nextInt(300);
                if (index.add(filter, "B", id, 0)) {
                    present.add(new String[] {filter, id});
                }
            }
            if (step % 500 == 0) {
                index.validate();
            }
        }
        index.validate();
        assertThat(index.routeCount()).isEqualTo(present.size());
        for (String[] r : present) {
            assertThat(index.delete(r[0], "B", RouteId.utf8(r[1]), 0)).isTrue();
        }
        assertThat(index.routeCount()).isZero();
        index.validate();
    }
}
