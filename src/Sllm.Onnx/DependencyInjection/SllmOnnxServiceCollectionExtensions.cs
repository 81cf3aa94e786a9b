using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sllm.Onnx;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="OnnxChatClient"/> as the application's <see cref="IChatClient"/>.</summary>
public static class SllmOnnxServiceCollectionExtensions
{
    /// <summary>Registers a singleton <see cref="IChatClient"/> that runs the model folder at <paramref name="modelPath"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="modelPath">The model folder.</param>
    /// <param name="configure">Further options, applied after <paramref name="modelPath"/>; may be <see langword="null"/>.</param>
    /// <returns>The <see cref="ChatClientBuilder"/>, to add middleware such as <c>UseLogging</c>, <c>UseOpenTelemetry</c> or <c>UseFunctionInvocation</c>.</returns>
    /// <remarks>Options are validated when the host starts (<c>ValidateOnStart</c>); the model loads on first resolution
    /// and is disposed with the service provider.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="modelPath"/> is empty.</exception>
    public static ChatClientBuilder AddSllmOnnxChatClient(this IServiceCollection services, string modelPath, Action<OnnxChatClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        string name = Options.Options.DefaultName;
        Register(services, name, options =>
        {
            options.ModelPath = modelPath;
            configure?.Invoke(options);
        });
        return services.AddChatClient(provider => Create(provider, name));
    }

    /// <summary>Registers a singleton <see cref="IChatClient"/> whose options (including <c>ModelPath</c>) bind from configuration.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section, e.g. <c>configuration.GetSection("Sllm:Chat")</c>.</param>
    /// <returns>The <see cref="ChatClientBuilder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    public static ChatClientBuilder AddSllmOnnxChatClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        string name = Options.Options.DefaultName;
        Register(services, name, configuration);
        return services.AddChatClient(provider => Create(provider, name));
    }

    /// <summary>Registers a keyed singleton <see cref="IChatClient"/> that runs the model folder at <paramref name="modelPath"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="serviceKey">The key; its string form also names the options instance.</param>
    /// <param name="modelPath">The model folder.</param>
    /// <param name="configure">Further options; may be <see langword="null"/>.</param>
    /// <returns>The <see cref="ChatClientBuilder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="serviceKey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="modelPath"/> is empty.</exception>
    public static ChatClientBuilder AddKeyedSllmOnnxChatClient(this IServiceCollection services, object serviceKey, string modelPath, Action<OnnxChatClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        string name = serviceKey.ToString() ?? string.Empty;
        Register(services, name, options =>
        {
            options.ModelPath = modelPath;
            configure?.Invoke(options);
        });
        return services.AddKeyedChatClient(serviceKey, provider => Create(provider, name));
    }

    private static void Register(IServiceCollection services, string name, Action<OnnxChatClientOptions> configure)
    {
        services.AddOptions<OnnxChatClientOptions>(name).Configure(configure).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OnnxChatClientOptions>>(new OnnxChatClientOptionsValidator(name));
    }

    private static void Register(IServiceCollection services, string name, IConfiguration configuration)
    {
        services.AddOptions<OnnxChatClientOptions>(name).Configure(options => OnnxChatClientOptionsBinder.Bind(configuration, options)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OnnxChatClientOptions>>(new OnnxChatClientOptionsValidator(name));
    }

    private static OnnxChatClient Create(IServiceProvider provider, string name)
    {
        OnnxChatClientOptions options = provider.GetRequiredService<IOptionsMonitor<OnnxChatClientOptions>>().Get(name).Clone();
        if (options.Model.LoggerFactory is null && provider.GetService<ILoggerFactory>() is { } loggerFactory)
        {
            options.Model.LoggerFactory = loggerFactory;
        }

        // Model loading does its file reads with ConfigureAwait(false), so waiting here cannot deadlock a synchronization context.
        return OnnxChatClient.CreateAsync(options.ModelPath!, options).GetAwaiter().GetResult();
    }
}
