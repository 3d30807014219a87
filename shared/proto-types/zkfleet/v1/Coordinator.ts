// Original file: proto/zkfleet.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { HealthReport as _zkfleet_v1_HealthReport, HealthReport__Output as _zkfleet_v1_HealthReport__Output } from '../../zkfleet/v1/HealthReport';
import type { ReportAck as _zkfleet_v1_ReportAck, ReportAck__Output as _zkfleet_v1_ReportAck__Output } from '../../zkfleet/v1/ReportAck';

/**
 * The coordinator server: agents push health reports to it.
 */
export interface CoordinatorClient extends grpc.Client {
  Report(argument: _zkfleet_v1_HealthReport, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_ReportAck__Output>): grpc.ClientUnaryCall;
  Report(argument: _zkfleet_v1_HealthReport, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_ReportAck__Output>): grpc.ClientUnaryCall;
  Report(argument: _zkfleet_v1_HealthReport, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_ReportAck__Output>): grpc.ClientUnaryCall;
  Report(argument: _zkfleet_v1_HealthReport, callback: grpc.requestCallback<_zkfleet_v1_ReportAck__Output>): grpc.ClientUnaryCall;
  report(argument: _zkfleet_v1_HealthReport, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_ReportAck__Output>): grpc.ClientUnaryCall;
  report(argument: _zkfleet_v1_HealthReport, metadata: grpc.Metadata, callback: grpc.requestCallback<_zkfleet_v1_ReportAck__Output>): grpc.ClientUnaryCall;
  report(argument: _zkfleet_v1_HealthReport, options: grpc.CallOptions, callback: grpc.requestCallback<_zkfleet_v1_ReportAck__Output>): grpc.ClientUnaryCall;
  report(argument: _zkfleet_v1_HealthReport, callback: grpc.requestCallback<_zkfleet_v1_ReportAck__Output>): grpc.ClientUnaryCall;
  
}

/**
 * The coordinator server: agents push health reports to it.
 */
export interface CoordinatorHandlers extends grpc.UntypedServiceImplementation {
  Report: grpc.handleUnaryCall<_zkfleet_v1_HealthReport__Output, _zkfleet_v1_ReportAck>;
  
}

export interface CoordinatorDefinition extends grpc.ServiceDefinition {
  Report: MethodDefinition<_zkfleet_v1_HealthReport, _zkfleet_v1_ReportAck, _zkfleet_v1_HealthReport__Output, _zkfleet_v1_ReportAck__Output>
}
