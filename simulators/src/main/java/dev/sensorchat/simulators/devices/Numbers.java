package dev.sensorchat.simulators.devices;

/** Values go out with two decimals, written without Double.toString's exponent forms. */
public final class Numbers {

    private Numbers() {
    }

    /** The value as sent: rounded to hundredths (the backend parses back exactly this double). */
    public static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    static void append(StringBuilder out, double value) {
        long hundredths = Math.round(value * 100);
        if (hundredths < 0) {
            out.append('-');
            hundredths = -hundredths;
        }
        out.append(hundredths / 100);
        long fraction = hundredths % 100;
        if (fraction != 0) {
            out.append('.');
            if (fraction < 10) {
                out.append('0').append(fraction);
            } else if (fraction % 10 == 0) {
                out.append(fraction / 10);
            } else {
                out.append(fraction);
            }
        }
    }
}
