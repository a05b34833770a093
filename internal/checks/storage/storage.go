// Package storage holds the checks of storage classes and volume claims:
// CSI drivers and disk tiers (spec rule STO-01), dynamic provisioning and
// reclaim policy (STO-03).
package storage

import (
	"sort"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	appsv1beta1 "k8s.io/api/apps/v1beta1"
	appsv1beta2 "k8s.io/api/apps/v1beta2"
	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	storagev1beta1 "k8s.io/api/storage/v1beta1"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/manifest"
)

// Checks is the storage domain's list, in catalog order.
var Checks = []*check.Check{
	StorageClassInTree,
	StorageClassStandardDisk,
	StorageClassRetain,
	PersistentVolumeStatic,
	PVCStorageClass,
}

// storageClass is a StorageClass of either typed version.
type storageClass struct {
	provisioner   string
	parameters    map[string]string
	reclaimPolicy *corev1.PersistentVolumeReclaimPolicy
}

func storageClassOf(o *manifest.Object) (storageClass, bool) {
	switch t := o.Typed().(type) {
	case *storagev1.StorageClass:
		return storageClass{t.Provisioner, t.Parameters, t.ReclaimPolicy}, true
	case *storagev1beta1.StorageClass:
		return storageClass{t.Provisioner, t.Parameters, t.ReclaimPolicy}, true
	}
	return storageClass{}, false
}

var storageClassTarget = check.Kinds("StorageClass.storage.k8s.io")

// Azure CSI drivers.
const (
	diskCSI = "disk.csi.azure.com"
	fileCSI = "file.csi.azure.com"
)

// inTree maps the removed in-tree Azure provisioners to their CSI drivers.
var inTree = map[string]string{
	"kubernetes.io/azure-disk": diskCSI,
	"kubernetes.io/azure-file": fileCSI,
}

// StorageClassInTree reports StorageClasses of the removed in-tree Azure
// volume plugins.
var StorageClassInTree = &check.Check{
	ID:       "storage-class-in-tree",
	Title:    "StorageClass uses a removed in-tree Azure provisioner",
	Severity: check.Error,
	Refs:     []string{"STO-01"},
	Why: "The in-tree kubernetes.io/azure-disk and kubernetes.io/azure-file volume plugins are deprecated and their code has been removed from Kubernetes: " +
		"AKS keeps such classes working only by translating every call to the Azure Disk and Azure Files CSI drivers (CSI migration), " +
		"and CSI-only features such as Premium SSD v2, zone-redundant disks and snapshots are out of reach. " +
		"Azure Policy \"Kubernetes clusters should use Container Storage Interface (CSI) driver StorageClass\" denies them.",
	Fix: "Set provisioner to disk.csi.azure.com or file.csi.azure.com; the parameters (skuName, cachingMode, ...) keep their meaning.",
	Example: `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: managed-premium
provisioner: disk.csi.azure.com
parameters:
  skuName: Premium_LRS`,
	Target: storageClassTarget,
	Run: func(p *check.Pass) {
		sc, ok := storageClassOf(p.Object)
		if !ok {
			return
		}
		if csi, ok := inTree[sc.provisioner]; ok {
			p.Report(manifest.NewPath("provisioner"), "provisioner %s is the removed in-tree Azure plugin, served only through CSI migration; use %s", sc.provisioner, csi)
		}
	},
}

// skuKeys are the parameter names the Azure Disk CSI driver reads the disk
// SKU from (storageAccountType is an alias); it compares names without case.
var skuKeys = []string{"skuname", "storageaccounttype"}

// diskSKUs returns the keys of the SKU parameters of an Azure Disk
// StorageClass, sorted (a class may carry both names; the driver takes
// either).
func diskSKUs(params map[string]string) []string {
	var keys []string
	for k := range params {
		for _, s := range skuKeys {
			if strings.EqualFold(k, s) {
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

// standardSKUs are the Azure managed disk SKUs that are not premium SSDs.
var standardSKUs = []string{"Standard_LRS", "StandardSSD_LRS", "StandardSSD_ZRS"}

// isStandardSKU reports whether sku is a standard HDD or SSD SKU; the driver
// accepts SKU values in any case.
func isStandardSKU(sku string) bool {
	for _, s := range standardSKUs {
		if strings.EqualFold(strings.TrimSpace(sku), s) {
			return true
		}
	}
	return false
}

// StorageClassStandardDisk reports Azure Disk StorageClasses of a standard
// tier in production profiles.
var StorageClassStandardDisk = &check.Check{
	ID:       "storage-class-standard-disk",
	Title:    "Azure Disk StorageClass uses a standard tier in production",
	Severity: check.Warning,
	Refs:     []string{"STO-01"},
	Why: "Standard HDD and Standard SSD managed disks have lower IOPS and throughput, more latency variance and a weaker single-instance SLA " +
		"than Premium SSD; the AKS storage guidance asks for Premium SSD for production workloads. " +
		"The Azure Disk CSI driver uses StandardSSD_LRS when the class names no skuName. The check runs under the production and regulated profiles only.",
	Fix: "Set parameters.skuName to Premium_LRS, Premium_ZRS or PremiumV2_LRS (or UltraSSD_LRS), or use AKS's managed-csi-premium class.",
	Example: `provisioner: disk.csi.azure.com
parameters:
  skuName: Premium_ZRS`,
	Target: storageClassTarget,
	Run: func(p *check.Pass) {
		if p.Settings.Profile == "dev" {
			return
		}
		sc, ok := storageClassOf(p.Object)
		if !ok || sc.provisioner != diskCSI {
			return
		}
		keys := diskSKUs(sc.parameters)
		if len(keys) == 0 {
			p.Report(manifest.NewPath("parameters", "skuName"), "StorageClass %q names no skuName: the Azure Disk CSI driver gives it StandardSSD_LRS disks; set parameters.skuName to a Premium SKU for production", p.Object.Name)
			return
		}
		for _, k := range keys {
			if sku := sc.parameters[k]; isStandardSKU(sku) {
				p.Report(manifest.NewPath("parameters").Child(k), "StorageClass %q provisions %s disks, a standard tier; use a Premium SKU (Premium_LRS, Premium_ZRS, PremiumV2_LRS) for production", p.Object.Name, sku)
			}
		}
	},
}

// StorageClassRetain reports StorageClasses whose volumes outlive their
// claims.
var StorageClassRetain = &check.Check{
	ID:       "storage-class-retain",
	Title:    "StorageClass keeps volumes after their claims are deleted",
	Severity: check.Info,
	Refs:     []string{"STO-03"},
	Why: "With reclaimPolicy Retain, deleting a claim leaves its PersistentVolume and the Azure disk or file share behind: " +
		"they keep being billed until someone deletes them by hand. That is right for data that must survive, but should be a choice.",
	Fix: "Keep Retain only for data that must outlive its claim, and plan how released volumes are reviewed and deleted; otherwise remove reclaimPolicy (the default is Delete).",
	Example: `provisioner: disk.csi.azure.com
reclaimPolicy: Delete`,
	Target: storageClassTarget,
	Run: func(p *check.Pass) {
		sc, ok := storageClassOf(p.Object)
		if ok && sc.reclaimPolicy != nil && *sc.reclaimPolicy == corev1.PersistentVolumeReclaimRetain {
			p.Report(manifest.NewPath("reclaimPolicy"), "StorageClass %q retains volumes after their claims are deleted: released disks keep being billed; review them, or use Delete", p.Object.Name)
		}
	},
}

// PersistentVolumeStatic reports statically provisioned PersistentVolumes.
var PersistentVolumeStatic = &check.Check{
	ID:       "persistent-volume-static",
	Title:    "PersistentVolume is provisioned statically",
	Severity: check.Warning,
	Refs:     []string{"STO-03"},
	Why: "A PersistentVolume written by hand points at a disk or share someone created outside Kubernetes: its size, SKU, zone and " +
		"lifecycle are managed by hand, and it does not follow the cluster's StorageClasses. The AKS guidance asks for dynamic provisioning.",
	Fix: "Delete the PersistentVolume and let a PersistentVolumeClaim with a storageClassName provision the volume. " +
		"To keep existing data, restore it from a snapshot into a dynamically provisioned claim.",
	Example: `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  storageClassName: managed-csi-premium
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 64Gi`,
	Target: check.Kinds("PersistentVolume"),
	Run: func(p *check.Pass) {
		p.Report(manifest.NewPath("kind"), "PersistentVolume %q is provisioned by hand; let a PersistentVolumeClaim with a storageClassName provision it", p.Object.Name)
	},
}

// PVCStorageClass reports claims that name no StorageClass.
var PVCStorageClass = &check.Check{
	ID:       "pvc-storage-class",
	Title:    "PersistentVolumeClaim names no StorageClass",
	Severity: check.Warning,
	Refs:     []string{"STO-03"},
	Why: "A claim without storageClassName gets whatever class is the cluster's default at creation time, so the disk tier, " +
		"redundancy and reclaim policy depend on the cluster rather than on the manifest. " +
		"An empty storageClassName (\"\") turns dynamic provisioning off: the claim waits for a hand-made PersistentVolume.",
	Fix: "Set spec.storageClassName to the class the data needs (for example managed-csi-premium), in claims and in StatefulSet volumeClaimTemplates.",
	Example: `spec:
  storageClassName: managed-csi-premium
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 64Gi`,
	Target: check.Kinds("PersistentVolumeClaim", "StatefulSet.apps"),
	Run: func(p *check.Pass) {
		switch t := p.Object.Typed().(type) {
		case *corev1.PersistentVolumeClaim:
			claimClass(p, &t.Spec, manifest.NewPath("spec"), "PersistentVolumeClaim "+strconv.Quote(p.Object.Name))
		case *appsv1.StatefulSet:
			templateClasses(p, t.Spec.VolumeClaimTemplates)
		case *appsv1beta2.StatefulSet:
			templateClasses(p, t.Spec.VolumeClaimTemplates)
		case *appsv1beta1.StatefulSet:
			templateClasses(p, t.Spec.VolumeClaimTemplates)
		}
	},
}

func templateClasses(p *check.Pass, tmpls []corev1.PersistentVolumeClaim) {
	base := manifest.NewPath("spec", "volumeClaimTemplates")
	for i := range tmpls {
		claimClass(p, &tmpls[i].Spec, base.Index(i).Child("spec"), "volumeClaimTemplate "+strconv.Quote(tmpls[i].Name))
	}
}

func claimClass(p *check.Pass, spec *corev1.PersistentVolumeClaimSpec, specPath manifest.Path, what string) {
	path := specPath.Child("storageClassName")
	switch {
	case spec.StorageClassName == nil:
		p.Report(path, "%s names no storageClassName: it gets the cluster's default class, whatever that is; set spec.storageClassName", what)
	case *spec.StorageClassName == "":
		p.Report(path, "%s has storageClassName \"\": dynamic provisioning is off and it waits for a hand-made PersistentVolume; name a StorageClass", what)
	}
}
