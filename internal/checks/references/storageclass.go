package references

import (
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/manifest"
)

// aksStorageClasses are the StorageClasses an AKS cluster has without any
// manifest: the CSI classes of concepts-storage.md ("Storage classes":
// managed-csi, managed-csi-premium, azurefile-csi, azurefile-csi-premium,
// azureblob-nfs-premium, azureblob-fuse-premium; default is the same as
// managed-csi), and the older names AKS still creates next to them
// (managed, managed-premium, azurefile, azurefile-premium), now served by
// the CSI drivers. The Blob classes exist once the Blob CSI driver is
// enabled.
var aksStorageClasses = []string{
	"default", "managed", "managed-premium", "managed-csi", "managed-csi-premium",
	"azurefile", "azurefile-premium", "azurefile-csi", "azurefile-csi-premium",
	"azureblob-fuse-premium", "azureblob-nfs-premium",
}

// betaClassAnnotation is the annotation that named a claim's class before
// spec.storageClassName; Kubernetes still honours it when the field is
// unset.
const betaClassAnnotation = corev1.BetaStorageClassAnnotation

// StorageClassMissing reports claims that name a StorageClass neither the
// input nor AKS defines.
var StorageClassMissing = &check.Check{
	ID:       "storage-class-missing",
	Title:    "Claim names a StorageClass that neither the input nor AKS defines",
	Severity: check.Warning,
	Refs:     []string{"STO-03"},
	Why: "A PersistentVolumeClaim whose storageClassName names no StorageClass is never provisioned: it stays Pending, and so do the pods that mount it. " +
		"Class names are often copied from another cloud (gp2, standard, premium-rwo) or misspelt. " +
		"The check knows the classes AKS creates (default, managed-csi, managed-csi-premium, azurefile-csi, azurefile-csi-premium, " +
		"azureblob-fuse-premium, azureblob-nfs-premium and the older managed, managed-premium, azurefile, azurefile-premium) and the StorageClasses of the input. " +
		"It reads PersistentVolumeClaims, StatefulSet volumeClaimTemplates and the generic ephemeral volumes of pod templates, " +
		"and the volume.beta.kubernetes.io/storage-class annotation where storageClassName is unset.",
	Fix: "Use one of the AKS classes (managed-csi-premium for Premium SSD disks, azurefile-csi-premium for shared files), " +
		"add the StorageClass to the manifests, or list the cluster's own classes in the builtin option.",
	Example: `spec:
  storageClassName: managed-csi-premium`,
	Target: check.Target{
		Desc: "PersistentVolumeClaim, StatefulSet volumeClaimTemplates, ephemeral volumes of objects with a pod spec",
		Match: func(o *manifest.Object) bool {
			return o.HasPodTemplate() || o.Kind == "PersistentVolumeClaim" && o.Group() == ""
		},
	},
	Options: []check.Option{{
		Name: "builtin", Kind: check.StringList, Default: aksStorageClasses,
		Doc: "StorageClasses the cluster has without the input (a trailing * matches a prefix, as in acstor-*); replaces the AKS list.",
	}},
	Cross: true,
	Run: func(p *check.Pass) {
		builtin := p.Options.Strings("builtin")
		claim := func(spec *corev1.PersistentVolumeClaimSpec, meta *metav1.ObjectMeta, specPath, metaPath manifest.Path, what string) {
			name, path := className(spec, meta, specPath, metaPath)
			if name == "" || p.Graph.Get("storage.k8s.io", "StorageClass", "", name) != nil || matchAny(builtin, name) {
				return
			}
			p.Report(path, "%s names StorageClass %q, which neither the input nor AKS defines: it stays Pending; use an AKS class such as managed-csi-premium, add the StorageClass, or list it in the builtin option",
				what, name)
		}
		o := p.Object
		if t, ok := o.Typed().(*corev1.PersistentVolumeClaim); ok {
			claim(&t.Spec, &t.ObjectMeta, manifest.NewPath("spec"), manifest.NewPath("metadata"), "PersistentVolumeClaim "+strconv.Quote(o.Name))
		}
		tmpls := ClaimTemplates(o)
		base := manifest.NewPath("spec", "volumeClaimTemplates")
		for i := range tmpls {
			t := &tmpls[i]
			claim(&t.Spec, &t.ObjectMeta, base.Index(i).Child("spec"), base.Index(i).Child("metadata"), "volumeClaimTemplate "+strconv.Quote(t.Name))
		}
		if pt := o.PodTemplate(); pt != nil {
			vols := pt.SpecPath.Child("volumes")
			for i, v := range pt.Spec.Volumes {
				if v.Ephemeral == nil || v.Ephemeral.VolumeClaimTemplate == nil {
					continue
				}
				t := v.Ephemeral.VolumeClaimTemplate
				tp := vols.Index(i).Child("ephemeral", "volumeClaimTemplate")
				claim(&t.Spec, &t.ObjectMeta, tp.Child("spec"), tp.Child("metadata"), "ephemeral volume "+strconv.Quote(v.Name))
			}
		}
	},
}

// className returns the class a claim asks for and the field that names
// it: spec.storageClassName, or the beta annotation when the field is
// unset. "" means the default class, or none.
func className(spec *corev1.PersistentVolumeClaimSpec, meta *metav1.ObjectMeta, specPath, metaPath manifest.Path) (string, manifest.Path) {
	if spec.StorageClassName != nil {
		return *spec.StorageClassName, specPath.Child("storageClassName")
	}
	if v, ok := meta.Annotations[betaClassAnnotation]; ok {
		return v, metaPath.Child("annotations", betaClassAnnotation)
	}
	return "", manifest.Path{}
}

// matchAny reports whether name is in list, where an entry ending in *
// matches a prefix.
func matchAny(list []string, name string) bool {
	for _, l := range list {
		if prefix, ok := strings.CutSuffix(l, "*"); ok && strings.HasPrefix(name, prefix) || l == name {
			return true
		}
	}
	return false
}
