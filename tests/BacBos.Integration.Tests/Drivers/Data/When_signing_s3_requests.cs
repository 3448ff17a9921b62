using BacBos.Consumers.Activation.Drivers.Data.S3;

namespace BacBos.Integration.Tests.Drivers.Data;

/// <summary>
/// The SigV4 signer against the worked examples of AWS's S3 documentation ("Signature Calculations for the
/// Authorization Header", bucket <c>examplebucket</c>, 2013-05-24): s3rver does not check V4 signatures, so this is what
/// shows the driver's own listing requests would be accepted by a real S3 service.
/// </summary>
public sealed class When_signing_s3_requests
{
    private static readonly DateTimeOffset ExampleTime = new(2013, 5, 24, 0, 0, 0, TimeSpan.Zero);
    private readonly SigV4Signer _signer = new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1");

    [Theory]
    [InlineData("https://examplebucket.s3.amazonaws.com/?lifecycle", "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")]
    [InlineData("https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J", "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")]
    [InlineData("https://examplebucket.s3.amazonaws.com/?prefix=J&max-keys=2", "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")]
    public void Should_match_the_documented_signature(string url, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);

        _signer.Sign(request, ExampleTime);

        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, " +
            $"SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={signature}",
            request.Headers.GetValues("Authorization").Single());
        Assert.Equal("20130524T000000Z", request.Headers.GetValues("x-amz-date").Single());
    }

    [Fact]
    public void Should_sign_the_port_and_a_different_query_differently()
    {
        using var plain = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:4569/bucket?list-type=2");
        using var other = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:4569/bucket?versions");
        _signer.Sign(plain, ExampleTime);
        _signer.Sign(other, ExampleTime);

        Assert.Equal("127.0.0.1:4569", plain.Headers.Host);
        Assert.NotEqual(plain.Headers.GetValues("Authorization").Single(), other.Headers.GetValues("Authorization").Single());
    }
}
