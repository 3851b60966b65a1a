package dev.provision.tasks.edits;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LineInFileTest {

    private static final String SSHD = "Port 22\n#PermitRootLogin prohibit-password\nPermitRootLogin yes\nUsePAM yes\n";

    private static LineInFile sshd() {
        return LineInFile.at("/etc/ssh/sshd_config");
    }

    @Test
    void theLastMatchIsReplaced() {
        String edited = sshd().line("PermitRootLogin no").matching("^#?PermitRootLogin\\s").edit(SSHD);

        assertThat(edited).isEqualTo("Port 22\n#PermitRootLogin prohibit-password\nPermitRootLogin no\nUsePAM yes\n");
    }

    @Test
    void aLineThatIsThereAlreadyChangesNothing() {
        assertThat(sshd().line("UsePAM yes").edit(SSHD)).isSameAs(SSHD);
        assertThat(sshd().line("UsePAM yes").matching("^UsePAM\\s").edit(SSHD)).isSameAs(SSHD);
        assertThat(sshd().line("UsePAM yes").matching("^NoSuchKey").edit(SSHD)).isSameAs(SSHD);
    }

    @Test
    void withoutAMatchTheLineIsAppended() {
        assertThat(sshd().line("X11Forwarding no").matching("^#?X11Forwarding\\s").edit(SSHD)).isEqualTo(SSHD + "X11Forwarding no\n");
    }

    @Test
    void insertAfterTheLastMatchOrBeforeTheFirst() {
        String text = "a\nhost all\nb\nhost all\nc\n";

        assertThat(sshd().line("new").insertAfter("^host").edit(text)).isEqualTo("a\nhost all\nb\nhost all\nnew\nc\n");
        assertThat(sshd().line("new").insertBefore("^host").edit(text)).isEqualTo("a\nnew\nhost all\nb\nhost all\nc\n");
        assertThat(sshd().line("new").insertBefore("^nothing").edit(text)).isEqualTo(text + "new\n");
    }

    @Test
    void absentRemovesEveryMatchOrTheExactLine() {
        assertThat(sshd().matching("PermitRootLogin").absent().edit(SSHD)).isEqualTo("Port 22\nUsePAM yes\n");
        assertThat(sshd().line("UsePAM yes").absent().edit(SSHD)).isEqualTo("Port 22\n#PermitRootLogin prohibit-password\nPermitRootLogin yes\n");
        assertThat(sshd().line("Nope").absent().edit(SSHD)).isSameAs(SSHD);
    }

    @Test
    void aFileWithoutAFinalNewlineIsLeftAloneOrGetsOne() {
        assertThat(sshd().line("a").edit("a")).isEqualTo("a");
        assertThat(sshd().line("b").edit("a")).isEqualTo("a\nb\n");
        assertThat(sshd().line("b").edit("")).isEqualTo("b\n");
    }

    @Test
    void editingTwiceChangesNothingTheSecondTime() {
        LineInFile task = sshd().line("PermitRootLogin no").matching("^#?PermitRootLogin\\s");

        String once = task.edit(SSHD);

        assertThat(task.edit(once)).isSameAs(once);
    }

    @Test
    void aLineIsOneLine() {
        assertThatThrownBy(() -> sshd().line("a\nb")).hasMessageContaining("BlockInFile");
    }
}
