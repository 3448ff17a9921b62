using System.Data.Common;
using System.Globalization;
using BacBos.Platform.Data;

namespace BacBos.Consumers.Crm.Storage;

/// <summary>Reading CRM columns the same way from PostgreSQL and SQLite (ids, times, dates, decimals, booleans).</summary>
internal static class Columns
{
    public static string Text(DbDataReader r, int i) => r.GetString(i);

    public static string? NullableText(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public static Guid Id(DbDataReader r, int i) => Database.ReadId(r, i);

    public static Guid? NullableId(DbDataReader r, int i) => r.IsDBNull(i) ? null : Database.ReadId(r, i);

    public static DateTimeOffset Time(DbDataReader r, int i) => Database.ReadTime(r, i);

    public static DateTimeOffset? NullableTime(DbDataReader r, int i) => r.IsDBNull(i) ? null : Database.ReadTime(r, i);

    public static decimal Decimal(DbDataReader r, int i) => r.GetDecimal(i);

    public static decimal? NullableDecimal(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDecimal(i);

    public static bool Bool(DbDataReader r, int i) => r.GetBoolean(i);

    public static bool? NullableBool(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetBoolean(i);

    public static int Int(DbDataReader r, int i) => Convert.ToInt32(r.GetValue(i), CultureInfo.InvariantCulture);

    public static long Long(DbDataReader r, int i) => Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);

    public static DateOnly Date(DbDataReader r, int i) =>
        r.GetValue(i) switch
        {
            DateOnly d => d,
            DateTime dt => DateOnly.FromDateTime(dt),
            string s => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            var other => throw new InvalidOperationException($"Unexpected date type {other.GetType()}"),
        };

    public static DateOnly? NullableDate(DbDataReader r, int i) => r.IsDBNull(i) ? null : Date(r, i);
}
