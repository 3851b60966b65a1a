package dev.provision.tasks.templates;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SourceLinesTest {

    private static final String TEMPLATE = "a\n{% if x %}\n{{ b | mandatory }}\n{% endif %}\n{{ c }}\n";

    @Test
    void countsTheNewlinesTrimBlocksRemoved() {
        assertThat(SourceLines.locate(TEMPLATE, 3, Optional.of("c"))).isEqualTo("line 5");
        assertThat(SourceLines.locate(TEMPLATE, 1, Optional.empty())).isEqualTo("line 1");
    }

    @Test
    void linesJinjavaSawAsOneAreToldApartByTheUndefinedName() {
        assertThat(SourceLines.locate(TEMPLATE, 2, Optional.of("x"))).isEqualTo("line 2");
        assertThat(SourceLines.locate(TEMPLATE, 2, Optional.of("b | mandatory"))).isEqualTo("line 3");
        assertThat(SourceLines.locate(TEMPLATE, 2, Optional.empty())).isEqualTo("lines 2-3");
    }
}
