import { redirect } from 'next/navigation';

export default async function OrgHome(props: { params: Promise<{ slug: string }> }) {
  const { slug } = await props.params;
  redirect(`/o/${slug}/fleet`);
}
