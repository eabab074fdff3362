// One DetectAIFakeFaces call through Tencent's Node.js SDK, as its users write it.
// Usage: node detect.js '<case as JSON>'
//   case: {endpoint, secretId, secretKey, token?, region?, signMethod?, reqMethod?,
//          language?, faceInput (base64), faceInputType}
// Prints one JSON line: {"response": {...}} or {"error": {code, message, requestId, traceId}}.
"use strict";

const { faceid } = require("tencentcloud-sdk-nodejs/tencentcloud/services/faceid");

async function main() {
  const spec = JSON.parse(process.argv[2]);
  const profile = {
    httpProfile: {
      endpoint: spec.endpoint,
      protocol: "http://",
      reqMethod: spec.reqMethod || "POST",
      reqTimeout: 30,
    },
  };
  if (spec.signMethod) profile.signMethod = spec.signMethod;
  if (spec.language) profile.language = spec.language;
  const credential = { secretId: spec.secretId, secretKey: spec.secretKey };
  if (spec.token) credential.token = spec.token;
  const client = new faceid.v20180301.Client({
    credential,
    region: spec.region || "",
    profile,
  });
  try {
    const response = await client.DetectAIFakeFaces({
      FaceInput: spec.faceInput,
      FaceInputType: spec.faceInputType,
    });
    console.log(JSON.stringify({ response }));
  } catch (error) {
    console.log(
      JSON.stringify({
        error: {
          code: error.code || null,
          message: error.message || String(error),
          requestId: error.requestId || null,
          traceId: error.traceId || null,
        },
      }),
    );
  }
}

main();
