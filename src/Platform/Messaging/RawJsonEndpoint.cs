using MassTransit;

namespace BacBos.Platform.Messaging;

/// <summary>
/// A receive endpoint for plain JSON published by systems that do not speak MassTransit's envelope: only the raw JSON
/// (de)serializer, no consume topology of its own (so the endpoint's message type gets no exchange), a body that does
/// not fit the message type rejected without retries (<see cref="UnreadableMessageFilter"/>), and on RabbitMQ a binding
/// to an exchange the other systems publish to.
/// </summary>
public static class RawJsonEndpoint
{
    public static void UsePlainJsonFromExchange(this IReceiveEndpointConfigurator endpoint, string exchange, string exchangeType)
    {
        endpoint.ConfigureConsumeTopology = false;
        endpoint.ClearSerialization();
        endpoint.UseRawJsonSerializer(RawSerializerOptions.AnyMessageType | RawSerializerOptions.AddTransportHeaders, isDefault: true);
        endpoint.UseFilter(new UnreadableMessageFilter());
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.Bind(exchange, binding =>
            {
                binding.ExchangeType = exchangeType;
                binding.Durable = true;
                binding.AutoDelete = false;
            });
        }
    }
}
