namespace BacBos.Platform.Messaging;

/// <summary>
/// A message that can never be processed as it is (invalid content, a tenant that does not exist). The endpoint policy
/// neither retries nor redelivers it: MassTransit moves it to the endpoint's <c>_error</c> queue at once, with this
/// exception's message as the reason (<c>MT-Fault-Message</c> header) and the body unchanged.
/// </summary>
public sealed class RejectedMessageException : Exception
{
    public RejectedMessageException(string reason)
        : base(reason)
    {
    }

    public RejectedMessageException(string reason, Exception innerException)
        : base(reason, innerException)
    {
    }

    public RejectedMessageException()
    {
    }
}
