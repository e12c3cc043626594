"""`make bench`: figures, side by side on one broker and one database (not a pass/fail test).

- the bus's own limit: Kafka's ProducerPerformance / ConsumerPerformance on 1,000,000 small records;
- replay of the rapportage read model from 1,000,000 events, and its ratio to Kafka's consumer rate;
- one service's event handling rate against a plain aiokafka consumer on the same topic;
- end to end: POST /api/v1/aanmeldingen → KandidaatToegewezen on the bus, p50/p99 at a steady rate, and the
  highest rate sustained for a minute.
The last results are kept in bench/results.json (`python -m werkkloket_deploy.bench [--quick]`).
"""
