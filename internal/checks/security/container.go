package security

import (
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubevet/kubevet/internal/check"
)

// Checks of the settings that exist only on the container.

// PrivilegeEscalation reports containers that may gain more privileges than
// their parent process.
var PrivilegeEscalation = &check.Check{
	ID:       "privilege-escalation",
	Title:    "Container allows privilege escalation",
	Severity: check.Warning,
	Refs:     []string{"SEC-11"},
	Why: "Unless allowPrivilegeEscalation is false, the container's processes can gain more privileges than their parent " +
		"through setuid binaries or file capabilities (the kernel's no_new_privs flag is not set), so a process started as an " +
		"ordinary user can become root inside the container. A privileged container, or one with CAP_SYS_ADMIN, can always " +
		"escalate, whatever the field says. Pod Security Admission's restricted level requires false.",
	Fix: "Set securityContext.allowPrivilegeEscalation: false on every container. If the container is privileged or adds " +
		"SYS_ADMIN, remove that first: the API server rejects allowPrivilegeEscalation: false together with privileged: true.",
	Example: `containers:
- name: app
  securityContext:
    allowPrivilegeEscalation: false`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		if skipWindows(p) {
			return
		}
		pt := p.Object.PodTemplate()
		for _, c := range check.Containers(pt) {
			sc := check.EffectiveSecurity(pt, c)
			ape := sc.AllowPrivilegeEscalation
			denied := ape != nil && !*ape
			reason, remedy := alwaysEscalates(&sc)
			if denied && reason == "" {
				continue
			}
			path := sc.SCPath("allowPrivilegeEscalation")
			state := "does not set allowPrivilegeEscalation: false"
			if ape != nil && *ape {
				state = "sets allowPrivilegeEscalation: true"
			}
			switch {
			case denied:
				p.Report(path, "%s sets allowPrivilegeEscalation: false, but %s, which always allows privilege escalation whatever this field says; %s", c.Describe(), reason, remedy)
			case reason != "":
				p.Report(path, "%s %s, and %s, which always allows privilege escalation; %s, then set allowPrivilegeEscalation: false", c.Describe(), state, reason, remedy)
			default:
				p.Report(path, "%s %s: its processes can gain more privileges than their parent through setuid binaries or file capabilities; set securityContext.allowPrivilegeEscalation: false", c.Describe(), state)
			}
		}
	},
}

// alwaysEscalates says why a container can escalate whatever
// allowPrivilegeEscalation says, and what to do about it; empty strings when
// nothing forces it.
func alwaysEscalates(sc *check.Security) (reason, remedy string) {
	if isTrue(sc.Privileged) {
		return "it runs privileged", "set privileged to false"
	}
	if sc.Capabilities != nil {
		for _, a := range sc.Capabilities.Add {
			if capIs(a, "SYS_ADMIN") {
				return "it adds CAP_SYS_ADMIN", "remove SYS_ADMIN from capabilities.add"
			}
		}
	}
	return "", ""
}

// CapabilitiesAdded reports added Linux capabilities other than
// NET_BIND_SERVICE.
var CapabilitiesAdded = &check.Check{
	ID:       "capabilities-added",
	Title:    "Container adds Linux capabilities",
	Severity: check.Error,
	Refs:     []string{"SEC-11"},
	Why: "Each added Linux capability hands the container a piece of root's power over the node's kernel: SYS_ADMIN is " +
		"close to privileged, NET_ADMIN reconfigures the node's network, SYS_PTRACE inspects other processes, SYS_MODULE " +
		"loads kernel modules. Pod Security Admission's restricted level allows adding only NET_BIND_SERVICE, which lets a " +
		"process bind ports below 1024.",
	Fix: "Remove the capability from securityContext.capabilities.add; listen on a port above 1024 rather than adding " +
		"capabilities. A node agent that truly needs one (a CNI or CSI driver) belongs in a system namespace, with an " +
		"exemption giving the reason.",
	Example: `securityContext:
  capabilities:
    drop: ["ALL"]
    add: ["NET_BIND_SERVICE"]`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		if skipWindows(p) {
			return
		}
		pt := p.Object.PodTemplate()
		for _, c := range check.Containers(pt) {
			sc := check.EffectiveSecurity(pt, c)
			caps := sc.Capabilities
			if caps == nil {
				continue
			}
			for i, a := range caps.Add {
				if capIs(a, "NET_BIND_SERVICE") {
					continue
				}
				path := sc.SCPath("capabilities", "add").Index(i)
				if capIs(a, "ALL") {
					p.Report(path, "%s adds ALL capabilities, nearly as much power as running privileged; add only NET_BIND_SERVICE, if anything", c.Describe())
					continue
				}
				p.Report(path, "%s adds capability %s: only NET_BIND_SERVICE may be added; remove it from securityContext.capabilities.add", c.Describe(), a)
			}
		}
	},
}

// CapabilitiesNotDropped reports containers that keep the runtime's default
// capabilities.
var CapabilitiesNotDropped = &check.Check{
	ID:       "capabilities-not-dropped",
	Title:    "Container does not drop all capabilities",
	Severity: check.Warning,
	Refs:     []string{"SEC-11"},
	Why: "Container runtimes grant a default set of Linux capabilities (CHOWN, DAC_OVERRIDE, FOWNER, SETUID, SETGID, " +
		"NET_RAW and others) unless they are dropped; NET_RAW alone lets a process craft raw packets, enough for ARP and DNS spoofing. Dropping " +
		"ALL and adding back only what the process needs is Pod Security Admission's restricted level, which matches the " +
		"exact spelling ALL.",
	Fix:     "Set securityContext.capabilities.drop: [\"ALL\"] and add back only what the process needs.",
	Example: "securityContext:\n  capabilities:\n    drop: [\"ALL\"]",
	Target:  check.PodSpecs,
	Run: func(p *check.Pass) {
		if skipWindows(p) {
			return
		}
		pt := p.Object.PodTemplate()
		for _, c := range check.Containers(pt) {
			sc := check.EffectiveSecurity(pt, c)
			caps := sc.Capabilities
			ok, misspelt := dropsAll(caps)
			switch {
			case ok:
				continue
			case misspelt >= 0:
				p.Report(sc.SCPath("capabilities", "drop").Index(misspelt), "%s drops %q: the runtime reads it as ALL, but Pod Security Admission's restricted level only accepts the exact spelling; write ALL", c.Describe(), caps.Drop[misspelt])
			default:
				p.Report(sc.SCPath("capabilities", "drop"), "%s does not drop ALL capabilities, so it keeps the runtime's default set (NET_RAW, SETUID, DAC_OVERRIDE and others); set securityContext.capabilities.drop: [\"ALL\"] and add back only what it needs", c.Describe())
			}
		}
	},
}

// dropsAll reports whether caps drops ALL, spelt exactly so; if not,
// misspelt is the index of a drop entry that differs from ALL only in case
// (-1 if none).
func dropsAll(caps *corev1.Capabilities) (ok bool, misspelt int) {
	misspelt = -1
	if caps == nil {
		return false, misspelt
	}
	for i, d := range caps.Drop {
		if d == "ALL" {
			return true, -1
		}
		if misspelt < 0 && strings.EqualFold(string(d), "ALL") {
			misspelt = i
		}
	}
	return false, misspelt
}

// ReadOnlyRootFilesystem reports containers with a writable root filesystem.
var ReadOnlyRootFilesystem = &check.Check{
	ID:       "read-only-root-filesystem",
	Title:    "Container root filesystem is writable",
	Severity: check.Warning,
	Refs:     []string{"SEC-11"},
	Why: "A writable root filesystem lets whoever gets code execution in the container replace its binaries, install tools " +
		"and leave persistence behind. A read-only one also makes the container's state explicit: every path it writes is " +
		"a declared volume.",
	Fix: "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir volume at each path the application " +
		"writes to (/tmp, caches).",
	Example: `containers:
- name: app
  securityContext:
    readOnlyRootFilesystem: true
  volumeMounts:
  - {name: tmp, mountPath: /tmp}
volumes:
- name: tmp
  emptyDir: {}`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		if skipWindows(p) {
			return
		}
		pt := p.Object.PodTemplate()
		for _, c := range check.Containers(pt) {
			sc := check.EffectiveSecurity(pt, c)
			ro := sc.ReadOnlyRootFilesystem
			if isTrue(ro) {
				continue
			}
			state := "does not set readOnlyRootFilesystem: true"
			if ro != nil {
				state = "sets readOnlyRootFilesystem: false"
			}
			p.Report(sc.SCPath("readOnlyRootFilesystem"), "%s %s, so its root filesystem is writable; set it to true and mount an emptyDir where the application writes", c.Describe(), state)
		}
	},
}

// HostPort reports container ports bound on the node.
var HostPort = &check.Check{
	ID:       "host-port",
	Title:    "Container port is bound on the node",
	Severity: check.Warning,
	Refs:     []string{"SEC-11"},
	Why: "A hostPort opens the port on the node's own addresses, to whatever can reach the node, outside the Service " +
		"abstraction. It also limits scheduling: two pods using the same hostPort cannot share a node. Pod Security " +
		"Admission's baseline level forbids host ports.",
	Fix:     "Remove hostPort and expose the pod through a Service (ClusterIP, or LoadBalancer for outside traffic) or an Ingress.",
	Example: "ports:\n- containerPort: 8080",
	Target:  check.PodSpecs,
	Run: func(p *check.Pass) {
		for _, c := range check.Containers(p.Object.PodTemplate()) {
			for i := range c.C.Ports {
				port := &c.C.Ports[i]
				if port.HostPort == 0 {
					continue
				}
				p.Report(c.Path.Child("ports").Index(i).Child("hostPort"), "%s binds port %d on the node (hostPort): expose it through a Service instead and remove hostPort", c.Describe(), port.HostPort)
			}
		}
	},
}
