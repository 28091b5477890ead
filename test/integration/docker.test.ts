// The Docker provider suites share one podman engine on this machine: they run in one file, one after
// the other, so one suite's containers coming and going never races the other's traffic.
import './docker-provider.suite.js';
import './docker-seed003.suite.js';
import './docker-tcp-udp.suite.js';
