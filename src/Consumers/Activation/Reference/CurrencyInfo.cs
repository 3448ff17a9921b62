namespace BacBos.Consumers.Activation.Reference;

/// <summary>An active ISO 4217 currency and the number of digits of its minor unit.</summary>
/// <param name="Code">Three-letter upper-case ISO 4217 code, e.g. <c>USD</c>.</param>
/// <param name="Exponent">Digits after the decimal point of the minor unit: 0 for JPY, 2 for USD, 3 for KWD.</param>
/// <param name="Name">English name of the currency.</param>
public sealed record CurrencyInfo(string Code, int Exponent, string Name);
