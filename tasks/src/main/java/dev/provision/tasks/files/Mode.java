package dev.provision.tasks.files;

/** Permission bits, written the way chmod and stat show them: {@code 0640}. */
public record Mode(int bits) {

    public Mode {
        if (bits < 0 || bits > 07777) {
            throw new IllegalArgumentException("mode " + Integer.toOctalString(bits) + " is out of range 0000-7777");
        }
    }

    /** From a Java octal literal: {@code Mode.of(0640)}. */
    public static Mode of(int bits) {
        return new Mode(bits);
    }

    /** From octal digits, with or without the leading zero: {@code "0640"}, {@code "640"}. */
    public static Mode parse(String octal) {
        if (!octal.matches("[0-7]{1,5}")) {
            throw new IllegalArgumentException("mode '" + octal + "' is not octal digits such as 0640");
        }
        return new Mode(Integer.parseInt(octal, 8));
    }

    @Override
    public String toString() {
        return String.format("%04o", bits);
    }
}
