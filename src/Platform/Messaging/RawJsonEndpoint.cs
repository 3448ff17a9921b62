using MassTransit;

namespace BacBos.Platform.Messaging;

/// <summary>
/// A receive endpoint for plain JSON published by systems that do not speak MassTransit's envelope: only the raw JSON
/// (de)serializer, no consume topology of its own (so the endpoint's message type gets no exchange), and on RabbitMQ a
/// binding to an exchange the other systems publish to. A body that cannot be deserialized into the message type (not
/// JSON, not a JSON object) fails before the consumer and its retry policy: MassTransit moves it to <c>_error</c> at
/// once with the serializer's message as the reason.
/// </summary>
public static class RawJsonEndpoint
{
    public static void UsePlainJsonFromExchange(this IReceiveEndpointConfigurator endpoint, string exchange, string exchangeType)
    {
        endpoint.ConfigureConsumeTopology = false;
        endpoint.ClearSerialization();
        endpoint.UseRawJsonSerializer(RawSerializerOptions.AnyMessageType | RawSerializerOptions.AddTransportHeaders, isDefault: true);
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
