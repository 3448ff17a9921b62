using BacBos.Platform.Data;

namespace BacBos.Platform.Security;

/// <summary>Resolves the data-encryption key: configured, or (embedded default only) generated once under the data directory.</summary>
public static class DataKeyProvider
{
    public static byte[] Resolve(SecurityOptions security, DatabaseOptions database)
    {
        if (!string.IsNullOrWhiteSpace(security.DataKey))
        {
            return Convert.FromBase64String(security.DataKey);
        }

        if (database.Provider != DatabaseProvider.Sqlite)
        {
            throw new InvalidOperationException(
                "Security:DataKey (base64 of 32 random bytes) is required with PostgreSQL; e.g. `openssl rand -base64 32`.");
        }

        var path = Path.Combine(database.DataDirectory, "keys", "data.key");
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var temp = path + ".tmp";
        File.WriteAllText(temp, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        try
        {
            File.Move(temp, path, overwrite: false);
            return key;
        }
        catch (IOException)
        {
            // Another process created it first: use theirs.
            File.Delete(temp);
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
    }
}
