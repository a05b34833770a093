// Package testserver runs a real kube-apiserver with etcd on loopback for
// the tests of kubevet cluster. The binaries are built from the Go module
// proxy by scripts/build-apiserver.sh into a cache folder (Dir). There is no
// controller manager or kubelet: tests create Nodes and Pods themselves.
package testserver

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// Version is the Kubernetes version the script builds.
const Version = "v1.37.2"

// Users of the server, by bearer token. Admin is in system:masters; the
// others have no permission until a test binds them a role.
const (
	AdminToken   = "admin-token"
	KubevetToken = "kubevet-token"
	ViewerToken  = "viewer-token"
	KubevetUser  = "kubevet"
	ViewerUser   = "viewer"
)

// Dir is the folder of kube-apiserver and etcd: KUBEVET_APISERVER_DIR, or
// the cache folder scripts/build-apiserver.sh builds into.
func Dir() string {
	if d := os.Getenv("KUBEVET_APISERVER_DIR"); d != "" {
		return d
	}
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache")
	}
	return filepath.Join(cache, "kubevet-test", "apiserver-"+Version)
}

// ErrMissing says the binaries are not built.
var ErrMissing = errors.New("kube-apiserver and etcd are not built: run scripts/build-apiserver.sh (about 25 minutes the first time, cached afterwards)")

// Server is a running etcd and kube-apiserver.
type Server struct {
	URL string
	// Dir holds the data, certificates, logs and the audit log.
	Dir string
	// AuditLog is the API server's audit log: every request at Metadata
	// level, one JSON event a line.
	AuditLog string

	etcd, apiserver *proc
}

// proc is a started process; done is closed when it has exited.
type proc struct {
	cmd  *exec.Cmd
	done chan struct{}
}

// Start starts etcd and the API server in dir and waits until the server
// is ready.
func Start(dir string) (*Server, error) {
	bin := Dir()
	for _, b := range []string{"kube-apiserver", "etcd"} {
		if _, err := os.Stat(filepath.Join(bin, b)); err != nil {
			return nil, fmt.Errorf("%w (%s missing)", ErrMissing, filepath.Join(bin, b))
		}
	}
	ports, err := freePorts(3)
	if err != nil {
		return nil, err
	}
	s := &Server{Dir: dir, URL: fmt.Sprintf("https://127.0.0.1:%d", ports[2]), AuditLog: filepath.Join(dir, "audit.log")}
	if err := s.writeFiles(); err != nil {
		return nil, err
	}
	client, peer := fmt.Sprintf("http://127.0.0.1:%d", ports[0]), fmt.Sprintf("http://127.0.0.1:%d", ports[1])
	s.etcd, err = startLogged(filepath.Join(dir, "etcd.log"), filepath.Join(bin, "etcd"),
		"--name=test", "--data-dir="+filepath.Join(dir, "etcd"),
		"--listen-client-urls="+client, "--advertise-client-urls="+client,
		"--listen-peer-urls="+peer, "--initial-advertise-peer-urls="+peer, "--initial-cluster=test="+peer,
		"--unsafe-no-fsync", "--log-level=warn")
	if err != nil {
		return nil, err
	}
	s.apiserver, err = startLogged(filepath.Join(dir, "apiserver.log"), filepath.Join(bin, "kube-apiserver"),
		"--etcd-servers="+client,
		"--bind-address=127.0.0.1", "--advertise-address=127.0.0.1",
		// A loopback address cannot be the kubernetes Service's endpoint.
		"--endpoint-reconciler-type=none", "--secure-port="+strconv.Itoa(ports[2]),
		"--cert-dir="+filepath.Join(dir, "certs"),
		"--service-account-issuer=https://kubernetes.default.svc",
		"--service-account-key-file="+filepath.Join(dir, "sa.key"),
		"--service-account-signing-key-file="+filepath.Join(dir, "sa.key"),
		"--token-auth-file="+filepath.Join(dir, "tokens.csv"),
		"--authorization-mode=RBAC",
		"--service-cluster-ip-range=10.96.0.0/16",
		"--allow-privileged=true",
		// No controller manager creates the default ServiceAccounts.
		"--disable-admission-plugins=ServiceAccount",
		"--audit-policy-file="+filepath.Join(dir, "audit-policy.yaml"),
		"--audit-log-path="+s.AuditLog,
		"--audit-log-mode=blocking",
		"--max-requests-inflight=1000", "--max-mutating-requests-inflight=500",
	)
	if err != nil {
		s.Stop()
		return nil, err
	}
	if err := s.waitReady(90 * time.Second); err != nil {
		s.Stop()
		return nil, fmt.Errorf("%w\n%s", err, tail(filepath.Join(dir, "apiserver.log"), 3000))
	}
	return s, nil
}

func (s *Server) writeFiles() error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	files := map[string]string{
		"sa.key": string(pemKey),
		"tokens.csv": AdminToken + ",admin,admin-uid,\"system:masters\"\n" +
			KubevetToken + "," + KubevetUser + ",kubevet-uid\n" +
			ViewerToken + "," + ViewerUser + ",viewer-uid\n",
		"audit-policy.yaml": "apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: Metadata\n",
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(s.Dir, name), []byte(data), 0o600); err != nil {
			return err
		}
	}
	return os.MkdirAll(filepath.Join(s.Dir, "certs"), 0o700)
}

func startLogged(logFile, bin string, args ...string) (*proc, error) {
	f, err := os.Create(logFile)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("starting %s: %w", filepath.Base(bin), err)
	}
	p := &proc{cmd: cmd, done: make(chan struct{})}
	go func() { cmd.Wait(); f.Close(); close(p.done) }()
	return p, nil
}

func (s *Server) waitReady(limit time.Duration) error {
	hc := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	deadline := time.Now().Add(limit)
	var last string
	for time.Now().Before(deadline) {
		select {
		case <-s.apiserver.done:
			return errors.New("kube-apiserver exited")
		default:
		}
		req, _ := http.NewRequest("GET", s.URL+"/readyz", nil)
		req.Header.Set("Authorization", "Bearer "+AdminToken)
		resp, err := hc.Do(req)
		if err == nil {
			var b bytes.Buffer
			b.ReadFrom(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = b.String()
		} else {
			last = err.Error()
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("kube-apiserver not ready after %s: %s", limit, last)
}

// Stop stops the API server, then etcd: once etcd is gone, the API server
// retries forever instead of exiting.
func (s *Server) Stop() {
	stop(s.apiserver, 5*time.Second)
	stop(s.etcd, 5*time.Second)
}

func stop(p *proc, grace time.Duration) {
	if p == nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		p.cmd.Process.Kill()
		<-p.done
	}
}

// Config is the client configuration of the user with token.
func (s *Server) Config(token string) *rest.Config {
	return &rest.Config{Host: s.URL, BearerToken: token, TLSClientConfig: rest.TLSClientConfig{Insecure: true}, QPS: 1000, Burst: 2000}
}

// Kubeconfig writes a kubeconfig file for the user with token, as context
// "test", and returns its path.
func (s *Server) Kubeconfig(token, path string) (string, error) {
	c := clientcmdapi.NewConfig()
	c.Clusters["test"] = &clientcmdapi.Cluster{Server: s.URL, InsecureSkipTLSVerify: true}
	c.AuthInfos["user"] = &clientcmdapi.AuthInfo{Token: token}
	c.Contexts["test"] = &clientcmdapi.Context{Cluster: "test", AuthInfo: "user"}
	c.CurrentContext = "test"
	return path, clientcmd.WriteToFile(*c, path)
}

func freePorts(n int) ([]int, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

func tail(path string, n int) string {
	b, _ := os.ReadFile(path)
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
