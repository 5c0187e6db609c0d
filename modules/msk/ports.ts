/** MSK listener and exporter ports (AWS fixed). */
export const MSK_PORTS = {
  /** TLS + SASL/IAM. */
  iam: 9098,
  /** TLS + SASL/SCRAM. */
  scram: 9096,
  /** Prometheus JMX exporter. */
  jmxExporter: 11001,
  /** Prometheus node exporter. */
  nodeExporter: 11002,
  /** Multi-VPC private connectivity, IAM: one port per broker. */
  multiVpcIamFrom: 14001,
  multiVpcIamTo: 14100,
} as const;
