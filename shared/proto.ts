import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import descriptor from './proto-descriptor.json';
import type { ProtoGrpcType } from './proto-types/zkfleet';

let loaded: ProtoGrpcType | undefined;

/**
 * The one place the contract is loaded: from the descriptor compiled from proto/zkfleet.proto by
 * `npm run gen:proto` (options match the type generator's).
 */
export function zkfleetProto(): ProtoGrpcType {
  if (!loaded) {
    const json = descriptor as Parameters<typeof protoLoader.fromJSON>[0];
    const def = protoLoader.fromJSON(json, { longs: Number, enums: String, defaults: true, oneofs: true });
    loaded = grpc.loadPackageDefinition(def) as unknown as ProtoGrpcType;
  }
  return loaded;
}

export type { AgentClient } from './proto-types/zkfleet/v1/Agent';
export type { AgentHandlers } from './proto-types/zkfleet/v1/Agent';
export type { CoordinatorClient, CoordinatorHandlers } from './proto-types/zkfleet/v1/Coordinator';
