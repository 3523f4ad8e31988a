package dev.continuity.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.NumericNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * A JSON number kept as the exact text it was written as ({@code 1.50}, {@code 1e400}, {@code -0},
 * {@code 12345678901234567890123}) and written back as that text. Its value (for validation, hashing,
 * comparisons) is the exact decimal value of the text; no conversion to {@code double} ever happens
 * unless a caller asks for {@link #doubleValue()}.
 */
final class NumberTextNode extends NumericNode {

    private static final long serialVersionUID = 1L;
    /** RFC 8259 number grammar. */
    static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    /** More integer digits than this and a float is not converted to an integer type (bounded work). */
    private static final int MAX_INTEGER_DIGITS = 1000;

    private final String text;
    private final boolean integral;
    private final BigDecimal value;

    /**
     * @param text a JSON number token
     * @throws NumberFormatException if the text is not a JSON number or its exponent is out of range
     */
    NumberTextNode(String text) {
        if (!JSON_NUMBER.matcher(text).matches()) {
            throw new NumberFormatException("'" + text + "' is not a JSON number");
        }
        this.text = text;
        this.integral = text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
        this.value = new BigDecimal(text); // NumberFormatException when the exponent does not fit an int
    }

    /** The number exactly as written. */
    String text() {
        return text;
    }

    @Override
    public JsonToken asToken() {
        return integral ? JsonToken.VALUE_NUMBER_INT : JsonToken.VALUE_NUMBER_FLOAT;
    }

    @Override
    public JsonParser.NumberType numberType() {
        if (!integral) {
            return JsonParser.NumberType.BIG_DECIMAL;
        }
        BigInteger v = value.toBigIntegerExact();
        if (v.compareTo(INT_MIN) >= 0 && v.compareTo(INT_MAX) <= 0) {
            return JsonParser.NumberType.INT;
        }
        return v.compareTo(LONG_MIN) >= 0 && v.compareTo(LONG_MAX) <= 0 ? JsonParser.NumberType.LONG
                : JsonParser.NumberType.BIG_INTEGER;
    }

    @Override
    public boolean isIntegralNumber() {
        return integral;
    }

    @Override
    public boolean isFloatingPointNumber() {
        return !integral;
    }

    @Override
    public boolean isInt() {
        return numberType() == JsonParser.NumberType.INT;
    }

    @Override
    public boolean isLong() {
        return numberType() == JsonParser.NumberType.LONG;
    }

    @Override
    public boolean isBigInteger() {
        return numberType() == JsonParser.NumberType.BIG_INTEGER;
    }

    @Override
    public boolean isBigDecimal() {
        return !integral;
    }

    @Override
    public Number numberValue() {
        return switch (numberType()) {
            case INT -> value.intValueExact();
            case LONG -> value.longValueExact();
            case BIG_INTEGER -> value.toBigIntegerExact();
            default -> value;
        };
    }

    @Override
    public int intValue() {
        return (int) longValue();
    }

    @Override
    public long longValue() {
        if (value.precision() - value.scale() > 19) {
            return value.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return value.longValue();
    }

    @Override
    public double doubleValue() {
        return Double.parseDouble(text);
    }

    @Override
    public BigDecimal decimalValue() {
        return value;
    }

    @Override
    public BigInteger bigIntegerValue() {
        if (value.precision() - value.scale() > MAX_INTEGER_DIGITS) {
            throw new ArithmeticException("the number " + text + " is too large to convert to an integer");
        }
        return value.toBigInteger();
    }

    @Override
    public boolean canConvertToInt() {
        return value.precision() - value.scale() <= 11 && value.compareTo(new BigDecimal(INT_MIN)) >= 0
                && value.compareTo(new BigDecimal(INT_MAX)) <= 0;
    }

    @Override
    public boolean canConvertToLong() {
        return value.precision() - value.scale() <= 20 && value.compareTo(new BigDecimal(LONG_MIN)) >= 0
                && value.compareTo(new BigDecimal(LONG_MAX)) <= 0;
    }

    @Override
    public boolean canConvertToExactIntegral() {
        return integral || value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
    }

    @Override
    public String asText() {
        return text;
    }

    @Override
    public void serialize(JsonGenerator generator, SerializerProvider provider) throws IOException {
        generator.writeNumber(text);
    }

    /** Equal to another number node of the same text (1.50 and 1.5 are different texts). */
    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof NumberTextNode other && other.text.equals(text));
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
