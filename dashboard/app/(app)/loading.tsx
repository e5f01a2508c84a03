import { PageSkeleton } from "@/app/ui/states";

export default function Loading() {
  return <PageSkeleton />;
}
