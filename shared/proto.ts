import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import path from 'node:path';
import type { ProtoGrpcType } from './proto-types/zkfleet';

/** The one place the .proto is loaded. Options match the type generator's (`npm run gen:proto`). */
export const PROTO_FILE = path.resolve(__dirname, '../../proto/zkfleet.proto');

let loaded: ProtoGrpcType | undefined;

export function zkfleetProto(): ProtoGrpcType {
  if (!loaded) {
    const def = protoLoader.loadSync(PROTO_FILE, { longs: Number, enums: String, defaults: true, oneofs: true });
    loaded = grpc.loadPackageDefinition(def) as unknown as ProtoGrpcType;
  }
  return loaded;
}

export type { AgentClient } from './proto-types/zkfleet/v1/Agent';
export type { AgentHandlers } from './proto-types/zkfleet/v1/Agent';
export type { CoordinatorClient, CoordinatorHandlers } from './proto-types/zkfleet/v1/Coordinator';
