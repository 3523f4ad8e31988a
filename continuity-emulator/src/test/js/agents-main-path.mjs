// The main path of the official @azure/ai-projects 2.x JavaScript SDK, written as an application would write it
// (the README's "Performing Responses operations using OpenAI client" with previous_response_id, "Performing Agent
// operations", "File Search" and function-tool examples, and a background response polled to its end), run unchanged against
// the Continuity emulator by JsSdkAgainstEmulatorTest. Nothing here knows it talks to an emulator: the endpoint
// comes from FOUNDRY_PROJECT_ENDPOINT as in the SDK's README, the OpenAI client is project.getOpenAIClient() with
// its defaults ({endpoint}/openai/v1/...), and TLS trust comes from NODE_EXTRA_CA_CERTS.
//
// The credential is the one thing an application would write differently: on a laptop it would be
// `new DefaultAzureCredential()` from @azure/identity (az login); the emulator accepts any bearer token, so a
// minimal TokenCredential stands in for it (DefaultAzureCredential would need a real Entra ID sign-in).
//
// Every step asserts what it got back; the first failed step exits non-zero with the step's name.
import assert from "node:assert/strict";
import { AIProjectClient } from "@azure/ai-projects";

const endpoint = process.env["FOUNDRY_PROJECT_ENDPOINT"];
const deploymentName = process.env["FOUNDRY_MODEL_DEPLOYMENT_NAME"] || "gpt-4o-mini";
assert.ok(endpoint, "FOUNDRY_PROJECT_ENDPOINT is not set");

/** A TokenCredential (@azure/core-auth): what DefaultAzureCredential provides in a real application. */
const credential = {
  async getToken() {
    return { token: "emulator-accepts-any-token", expiresOnTimestamp: Date.now() + 60 * 60 * 1000 };
  },
};

let step = "start";
const done = [];
async function run(name, body) {
  step = name;
  const result = await body();
  done.push(name);
  return result;
}

async function collect(pagedIterable) {
  const all = [];
  for await (const item of pagedIterable) {
    all.push(item);
  }
  return all;
}

async function main() {
  const project = new AIProjectClient(endpoint, credential);
  const openAIClient = project.getOpenAIClient();
  const suffix = process.pid.toString(36);

  // --- project operations
  const deployments = await run("deployments.list", () => collect(project.deployments.list()));
  assert.ok(deployments.some((d) => d.name === deploymentName), `deployment ${deploymentName} is listed`);
  const deployment = await run("deployments.get", () => project.deployments.get(deploymentName));
  assert.equal(deployment.name, deploymentName);
  await run("connections.list", () => collect(project.connections.list()));

  // --- a plain model response, then one continuing it (README "Performing Responses operations using OpenAI
  // client", the first example): the scripted model's remember/recall shows the second answer sees the first
  const response0 = await run("responses.create (model)", () =>
    openAIClient.responses.create({ model: deploymentName, input: "remember capital=Paris" }),
  );
  assert.equal(response0.status, "completed");
  assert.equal(response0.output_text, "OK, I will remember capital.");
  const detailResponse = await run("responses.create (previous_response_id)", () =>
    openAIClient.responses.create({ model: deploymentName, input: "recall capital", previous_response_id: response0.id }),
  );
  assert.equal(detailResponse.previous_response_id, response0.id);
  assert.equal(detailResponse.output_text, "capital is Paris.", "the second response sees the first");
  const unchained = await run("responses.create (no previous_response_id)", () =>
    openAIClient.responses.create({ model: deploymentName, input: "recall capital" }),
  );
  assert.equal(unchained.output_text, "I don't know capital.", "without the chain the model has no context");

  // --- a background response polled to completion (openai client: create with background, retrieve until it ends)
  const queued = await run("responses.create (background)", () =>
    openAIClient.responses.create({
      model: deploymentName,
      input: "recall capital",
      previous_response_id: detailResponse.id,
      background: true,
    }),
  );
  assert.equal(queued.status, "queued");
  assert.equal(queued.background, true);
  const seen = [queued.status];
  let polled = queued;
  await run("responses.retrieve (poll background)", async () => {
    for (let polls = 0; (polled.status === "queued" || polled.status === "in_progress") && polls < 20; polls++) {
      polled = await openAIClient.responses.retrieve(queued.id);
      seen.push(polled.status);
    }
  });
  assert.equal(polled.status, "completed", `statuses seen: ${seen.join(" -> ")}`);
  assert.ok(seen.includes("in_progress"), `statuses seen: ${seen.join(" -> ")}`);
  assert.equal(polled.output_text, "capital is Paris.");

  // --- agents (README "Performing Agent operations")
  const agent = await run("agents.createVersion", () =>
    project.agents.createVersion(`js-basic-${suffix}`, {
      kind: "prompt",
      model: deploymentName,
      instructions: "You are a helpful assistant that answers general questions",
    }),
  );
  assert.equal(agent.name, `js-basic-${suffix}`);
  assert.equal(agent.version, "1");
  assert.equal(agent.definition.kind, "prompt");
  assert.equal(agent.object, "agent.version");
  assert.equal(agent.id, `${agent.name}:1`);
  assert.ok(agent.created_at instanceof Date && agent.created_at.getTime() > 0, "created_at is epoch seconds");
  assert.deepEqual(agent.metadata, {});

  const fetched = await run("agents.get", () => project.agents.get(agent.name));
  assert.equal(fetched.name, agent.name);
  assert.equal(fetched.object, "agent");
  assert.equal(fetched.versions.latest.version, "1");
  const agents = await run("agents.list", () => collect(project.agents.list()));
  assert.ok(agents.some((a) => a.name === agent.name), "agents.list finds the agent");
  const version = await run("agents.getVersion", () => project.agents.getVersion(agent.name, agent.version));
  assert.equal(version.definition.model, deploymentName);

  const conversation = await run("conversations.create", () =>
    openAIClient.conversations.create({
      items: [{ type: "message", role: "user", content: "What is the size of France in square miles?" }],
    }),
  );
  assert.match(conversation.id, /^conv_/);
  assert.equal(conversation.object, "conversation");

  const response = await run("responses.create (agent_reference)", () =>
    openAIClient.responses.create(
      { conversation: conversation.id },
      { body: { agent: { name: agent.name, type: "agent_reference" } } },
    ),
  );
  assert.equal(response.status, "completed");
  assert.equal(response.object, "response");
  assert.equal(response.conversation.id, conversation.id);
  assert.match(response.output_text, /You said: What is the size of France in square miles\?$/);

  await run("conversations.items.create", () =>
    openAIClient.conversations.items.create(conversation.id, {
      items: [{ type: "message", role: "user", content: "And what is the capital city?" }],
    }),
  );
  const response2 = await run("responses.create (second turn)", () =>
    openAIClient.responses.create(
      { conversation: conversation.id },
      { body: { agent: { name: agent.name, type: "agent_reference" } } },
    ),
  );
  assert.match(response2.output_text, /You said: And what is the capital city\?$/);

  const retrieved = await run("responses.retrieve", () => openAIClient.responses.retrieve(response2.id));
  assert.equal(retrieved.id, response2.id);
  assert.equal(retrieved.output_text, response2.output_text);
  const inputItems = await run("responses.inputItems.list", () => collect(openAIClient.responses.inputItems.list(response2.id)));
  assert.ok(Array.isArray(inputItems));

  // auto-paging over the conversation's items, two per page
  const items = await run("conversations.items.list", () =>
    collect(openAIClient.conversations.items.list(conversation.id, { limit: 2, order: "asc" })),
  );
  assert.deepEqual(
    items.map((i) => `${i.type}:${i.role}`),
    ["message:user", "message:assistant", "message:user", "message:assistant"],
  );
  const firstItem = await run("conversations.items.retrieve", () =>
    openAIClient.conversations.items.retrieve(items[0].id, { conversation_id: conversation.id }),
  );
  assert.equal(firstItem.id, items[0].id);

  const updated = await run("conversations.update", () =>
    openAIClient.conversations.update(conversation.id, { metadata: { topic: "france" } }),
  );
  assert.deepEqual(updated.metadata, { topic: "france" });
  const again = await run("conversations.retrieve", () => openAIClient.conversations.retrieve(conversation.id));
  assert.deepEqual(again.metadata, { topic: "france" });

  // --- a function-call round (README "Function Tool")
  const functionAgent = await run("agents.createVersion (function tool)", () =>
    project.agents.createVersion(`js-function-${suffix}`, {
      kind: "prompt",
      model: deploymentName,
      instructions: "Use the weather function.",
      tools: [
        {
          type: "function",
          name: "get_weather",
          description: "The weather in a city",
          parameters: {
            type: "object",
            properties: { city: { type: "string" } },
            required: ["city"],
            additionalProperties: false,
          },
          strict: true,
        },
      ],
    }),
  );
  const functionConversation = await run("conversations.create (empty)", () => openAIClient.conversations.create());
  const callResponse = await run("responses.create (function call)", () =>
    openAIClient.responses.create(
      { conversation: functionConversation.id, input: 'call get_weather {"city":"Paris"}' },
      { body: { agent: { name: functionAgent.name, type: "agent_reference" } } },
    ),
  );
  const functionCall = callResponse.output.find((item) => item.type === "function_call");
  assert.ok(functionCall, "the response holds a function_call");
  assert.equal(functionCall.name, "get_weather");
  assert.deepEqual(JSON.parse(functionCall.arguments), { city: "Paris" });
  const resultResponse = await run("responses.create (function_call_output)", () =>
    openAIClient.responses.create(
      {
        conversation: functionConversation.id,
        input: [{ type: "function_call_output", call_id: functionCall.call_id, output: '{"temperature":"18C"}' }],
      },
      { body: { agent: { name: functionAgent.name, type: "agent_reference" } } },
    ),
  );
  assert.equal(resultResponse.output_text, 'get_weather returned: {"temperature":"18C"}');
  const functionItems = await run("conversations.items.list (function round)", () =>
    collect(openAIClient.conversations.items.list(functionConversation.id, { order: "asc" })),
  );
  assert.deepEqual(
    functionItems.map((i) => i.type),
    ["message", "function_call", "function_call_output", "message"],
  );

  // --- file search (README "File Search")
  const vectorStore = await run("vectorStores.create", () => openAIClient.vectorStores.create({ name: `js-store-${suffix}` }));
  const upload = new File(["Returns are accepted within 30 days.\nShipping takes three days.\n"], "policy.txt", {
    type: "text/plain",
  });
  const storeFile = await run("vectorStores.files.uploadAndPoll", () =>
    openAIClient.vectorStores.files.uploadAndPoll(vectorStore.id, upload),
  );
  assert.equal(storeFile.status, "completed");
  const searchAgent = await run("agents.createVersion (file_search)", () =>
    project.agents.createVersion(`js-search-${suffix}`, {
      kind: "prompt",
      model: deploymentName,
      instructions: "Use the file search tool.",
      tools: [{ type: "file_search", vector_store_ids: [vectorStore.id] }],
    }),
  );
  const searchResponse = await run("responses.create (file_search)", () =>
    openAIClient.responses.create(
      { input: "search returns", include: ["file_search_call.results"] },
      { body: { agent: { name: searchAgent.name, type: "agent_reference" } } },
    ),
  );
  const searchCall = searchResponse.output.find((item) => item.type === "file_search_call");
  assert.ok(searchCall, "the response holds a file_search_call");
  assert.equal(searchCall.results[0].filename, "policy.txt");
  assert.equal(searchResponse.output_text, "Found returns in: policy.txt.");

  // --- clean up (README)
  await run("responses.delete", () => openAIClient.responses.delete(response.id));
  const deletedConversation = await run("conversations.delete", () => openAIClient.conversations.delete(conversation.id));
  assert.equal(deletedConversation.deleted, true);
  await run("conversations.delete (function round)", () => openAIClient.conversations.delete(functionConversation.id));
  await run("vectorStores.delete", () => openAIClient.vectorStores.delete(vectorStore.id));
  await run("files.delete", () => openAIClient.files.delete(storeFile.id));
  const deletedVersion = await run("agents.deleteVersion", () => project.agents.deleteVersion(agent.name, agent.version));
  assert.equal(deletedVersion.deleted, true);
  await run("agents.delete", () => project.agents.delete(functionAgent.name));
  await run("agents.delete (file_search)", () => project.agents.delete(searchAgent.name));
  const left = await run("agents.list (after delete)", () => collect(project.agents.list()));
  assert.ok(!left.some((a) => a.name.endsWith(`-${suffix}`)), "the deleted agents are gone");
}

main().then(
  () => {
    console.log(JSON.stringify({ ok: true, steps: done }));
  },
  (error) => {
    console.error(`step failed: ${step}`);
    console.error(error?.stack || String(error));
    if (error?.error) {
      console.error(`error body: ${JSON.stringify(error.error)}`);
    }
    if (error?.details) {
      console.error(`error details: ${JSON.stringify(error.details)}`);
    }
    console.log(JSON.stringify({ ok: false, failedStep: step, steps: done }));
    process.exitCode = 1;
  },
);
