using Sllm.Testing;

namespace Sllm.ChatTemplates;

/// <summary>Golden renderings of a tool-using Microsoft.Extensions.AI conversation through two templates shaped like real
/// ones (ChatML with tools, Llama-3 headers with a dated system prompt), written for these tests.</summary>
public sealed class GoldenRenderTests
{
    private const string ChatMlWithTools = """
        {%- if tools %}
            {{- '<|im_start|>system\n' }}
            {%- if messages[0]['role'] == 'system' %}
                {{- messages[0]['content'] }}
            {%- else %}
                {{- 'You are a helpful assistant.' }}
            {%- endif %}
            {{- "\n\n# Tools\n\n<tools>" }}
            {%- for tool in tools %}
                {{- "\n" }}
                {{- tool | tojson }}
            {%- endfor %}
            {{- "\n</tools>\n\nCall tools as <tool_call>{\"name\": ..., \"arguments\": ...}</tool_call><|im_end|>\n" }}
        {%- elif messages[0]['role'] == 'system' %}
            {{- '<|im_start|>system\n' + messages[0]['content'] + '<|im_end|>\n' }}
        {%- endif %}
        {%- for message in messages %}
            {%- if message.role == "user" or (message.role == "assistant" and not message.tool_calls) %}
                {{- '<|im_start|>' + message.role + '\n' + message.content + '<|im_end|>\n' }}
            {%- elif message.role == "assistant" %}
                {{- '<|im_start|>' + message.role }}
                {%- if message.content %}
                    {{- '\n' + message.content }}
                {%- endif %}
                {%- for tool_call in message.tool_calls %}
                    {%- set tool_call = tool_call.function if tool_call.function is defined else tool_call %}
                    {{- '\n<tool_call>\n{"name": "' ~ tool_call.name ~ '", "arguments": ' ~ (tool_call.arguments | tojson) ~ '}\n</tool_call>' }}
                {%- endfor %}
                {{- '<|im_end|>\n' }}
            {%- elif message.role == "tool" %}
                {%- if loop.index0 == 0 or messages[loop.index0 - 1].role != "tool" %}
                    {{- '<|im_start|>user' }}
                {%- endif %}
                {{- '\n<tool_response>\n' + message.content + '\n</tool_response>' }}
                {%- if loop.last or messages[loop.index0 + 1].role != "tool" %}
                    {{- '<|im_end|>\n' }}
                {%- endif %}
            {%- endif %}
        {%- endfor %}
        {%- if add_generation_prompt %}
            {{- '<|im_start|>assistant\n' }}
        {%- endif %}
        """;

    private const string Llama3WithTools = """
        {{- bos_token }}
        {%- set date_string = strftime_now("%d %b %Y") if strftime_now is defined else "26 Jul 2024" %}
        {%- if messages[0]['role'] == 'system' %}
            {%- set system_message = messages[0]['content'] | trim %}
            {%- set messages = messages[1:] %}
        {%- else %}
            {%- set system_message = "" %}
        {%- endif %}
        {{- "<|start_header_id|>system<|end_header_id|>\n\n" }}
        {%- if tools is not none %}
            {{- "Environment: ipython\n" }}
        {%- endif %}
        {{- "Today Date: " + date_string + "\n\n" }}
        {%- if tools is not none %}
            {{- "Respond with a JSON function call {\"name\": name, \"parameters\": {...}}.\n\n" }}
            {%- for t in tools %}
                {{- t | tojson(indent=4) }}
                {{- "\n\n" }}
            {%- endfor %}
        {%- endif %}
        {{- system_message + "<|eot_id|>" }}
        {%- for message in messages %}
            {%- if not (message.role == 'ipython' or message.role == 'tool' or 'tool_calls' in message) %}
                {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n' + message['content'] | trim + '<|eot_id|>' }}
            {%- elif 'tool_calls' in message %}
                {%- set tool_call = message.tool_calls[0].function %}
                {{- '<|start_header_id|>assistant<|end_header_id|>\n\n' -}}
                {{- '{"name": "' + tool_call.name + '", "parameters": ' + tool_call.arguments | tojson + '}' }}
                {{- "<|eot_id|>" }}
            {%- else %}
                {{- "<|start_header_id|>ipython<|end_header_id|>\n\n" }}
                {{- message.content | tojson if message.content is mapping else message.content }}
                {{- "<|eot_id|>" }}
            {%- endif %}
        {%- endfor %}
        {%- if add_generation_prompt %}
            {{- '<|start_header_id|>assistant<|end_header_id|>\n\n' }}
        {%- endif %}
        """;

    [Fact]
    public void ChatMlTemplate_WithToolsAndToolCall()
    {
        ChatTemplate template = ChatTemplate.Parse(ChatMlWithTools, "chatml-tools");
        string rendered = template.Render(MeaiConversation.Messages(), new ChatTemplateRenderOptions
        {
            AddGenerationPrompt = true,
            Tools = [MeaiConversation.WeatherTool],
        });
        Golden.Verify(rendered, "chatml-tools");
    }

    [Fact]
    public void Llama3Template_WithToolsAndToolCall()
    {
        ChatTemplate template = ChatTemplate.Parse(Llama3WithTools, "llama3-tools")
            .WithSpecialTokens(new Dictionary<string, string> { ["bos_token"] = "<|begin_of_text|>" });
        string rendered = template.Render(MeaiConversation.Messages(), new ChatTemplateRenderOptions
        {
            AddGenerationPrompt = true,
            Tools = [MeaiConversation.WeatherTool],
            TimeProvider = FixedTimeProvider.Corpus,
        });
        Golden.Verify(rendered, "llama3-tools");
    }
}
