import { create, createFileRegistry, type DescMessage, fromBinary, toBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';

/*
 * Test support (imported by tests only): one small protobuf service, described at run time with
 * @bufbuild/protobuf so that gRPC-Web clients (@connectrpc, in Node or bundled for a browser) and the
 * gRPC server of test-echo.ts share the same wire format without generated code.
 *
 *   package test;
 *   message Msg { string text = 1; }
 *   service Echo { rpc Unary(Msg) returns (Msg); rpc ServerStream(Msg) returns (stream Msg); }
 */
const registry = createFileRegistry(
  create(FileDescriptorProtoSchema, {
    name: 'test/echo.proto',
    package: 'test',
    syntax: 'proto3',
    messageType: [{ name: 'Msg', field: [{ name: 'text', number: 1, type: 9, label: 1, jsonName: 'text' }] }],
    service: [
      {
        name: 'Echo',
        method: [
          { name: 'Unary', inputType: '.test.Msg', outputType: '.test.Msg' },
          { name: 'ServerStream', inputType: '.test.Msg', outputType: '.test.Msg', serverStreaming: true },
        ],
      },
    ],
  }),
  () => undefined,
);

export const MsgSchema = registry.getMessage('test.Msg') as DescMessage;
export const EchoService = registry.getService('test.Echo')!;

export interface Msg {
  text: string;
}
export const encodeMsg = (text: string): Buffer =>
  Buffer.from(toBinary(MsgSchema, create(MsgSchema, { text })));
export const decodeMsg = (bytes: Uint8Array): string => (fromBinary(MsgSchema, bytes) as unknown as Msg).text;
