import * as grpc from '@grpc/grpc-js';
import descriptor from './generated/proto-descriptor.json';
import type { ProtoGrpcType } from './generated/proto-types/zkfleet';

/** A message class of the static module (shared/generated/, see its README): protobuf.js code without reflection. */
interface StaticMessage {
  fromObject(o: object): object;
  encode(m: object): { finish(): Uint8Array };
  decode(b: Uint8Array): object;
  toObject(m: object, o: typeof CONVERSION): object;
}
interface MethodDescriptor {
  requestType: string;
  responseType: string;
  requestStream?: boolean;
  responseStream?: boolean;
}

/** How messages look in JavaScript; the same options the type generator (`npm run gen:proto`) was given. */
export const CONVERSION = { longs: Number, enums: String, defaults: true, oneofs: true };
const PACKAGE = 'zkfleet.v1';

let loaded: ProtoGrpcType | undefined;

/**
 * The one place the contract is loaded: the services' methods from the descriptor and the messages' code
 * from the static module, both generated from proto/zkfleet.proto by `npm run gen:proto`. The method
 * definitions are the ones @grpc/proto-loader builds, without its run-time reflection.
 */
export function zkfleetProto(): ProtoGrpcType {
  if (!loaded) {
    const messages = (require('./generated/proto-static') as { zkfleet: { v1: Record<string, StaticMessage> } }).zkfleet
      .v1;
    const service = (name: string) => grpc.makeClientConstructor(serviceDefinition(name, messages), name);
    loaded = { zkfleet: { v1: { Agent: service('Agent'), Coordinator: service('Coordinator') } } } as never;
  }
  return loaded!;
}

function serviceDefinition(name: string, messages: Record<string, StaticMessage>): grpc.ServiceDefinition {
  const services = descriptor.nested.zkfleet.nested.v1.nested as Record<string, { methods?: object }>;
  const methods = services[name].methods as Record<string, MethodDescriptor>;
  const definition: Record<string, grpc.MethodDefinition<object, object>> = {};
  for (const [method, m] of Object.entries(methods)) {
    const req = messages[m.requestType];
    const res = messages[m.responseType];
    definition[method] = {
      path: `/${PACKAGE}.${name}/${method}`,
      requestStream: !!m.requestStream,
      responseStream: !!m.responseStream,
      requestSerialize: serializer(req),
      requestDeserialize: deserializer(req),
      responseSerialize: serializer(res),
      responseDeserialize: deserializer(res),
      originalName: method[0].toLowerCase() + method.slice(1),
    };
  }
  return definition;
}

function serializer(type: StaticMessage): (o: object) => Buffer {
  // Under Node, protobuf.js writes into a Buffer: no copy of a 1 MiB upload chunk.
  return (o) => type.encode(type.fromObject(o)).finish() as Buffer;
}
function deserializer(type: StaticMessage): (b: Buffer) => object {
  return (b) => type.toObject(type.decode(b), CONVERSION);
}

export type { AgentClient, AgentHandlers, CoordinatorClient, CoordinatorHandlers } from './generated/wire';
