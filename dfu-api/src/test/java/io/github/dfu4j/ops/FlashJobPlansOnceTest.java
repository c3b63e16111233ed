package io.github.dfu4j.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A flash job plans once (issue 10): in the code of {@code io.github.dfu4j.ops} (comments and strings
 * left out) {@code FlashPlanner.plan} is called exactly once, in {@link FlashJob}; the incremental pass
 * and the addressing fallback derive their plans from that one ({@code FlashPlan.keeping},
 * {@code FlashPlan.withAddressing}; FlashPlanDerivationTest shows they equal re-planning).
 */
class FlashJobPlansOnceTest {
    static final Pattern PLAN_CALL = Pattern.compile("\\bFlashPlanner\\s*\\.\\s*plan\\s*\\(");

    @Test
    void flashPlannerPlanIsCalledOnceInTheOpsPackage() throws IOException {
        List<String> calls = new ArrayList<>();
        try (Stream<Path> files = Files.list(FacadeBoundaryTest.OPS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String code = FacadeBoundaryTest.codeOnly(Files.readString(f, StandardCharsets.UTF_8));
                Matcher m = PLAN_CALL.matcher(code);
                while (m.find()) {
                    calls.add(f.getFileName() + ":" + FacadeBoundaryTest.lineOf(code, m.start()));
                }
            }
        }
        assertEquals(1, calls.size(), "FlashPlanner.plan calls in ops code: " + calls);
        assertTrue(calls.get(0).startsWith("FlashJob.java:"), calls::toString);
    }

    @Test
    void thePatternSeesACallAndNotAMention() {
        String code = FacadeBoundaryTest.codeOnly("/** {@link FlashPlanner#plan} FlashPlanner.plan( */\n"
                + "String s = \"FlashPlanner.plan(\"; FlashPlan p = FlashPlanner.plan(image, layouts, po);");
        Matcher m = PLAN_CALL.matcher(code);
        assertTrue(m.find(), code);
        assertTrue(!m.find(), "only the code call counts: " + code);
    }
}
